import type { InvocationError } from './types';

/** What the stack sends a worker over IPC. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: string;
  readonly event: unknown;
  /** Epoch ms when the invocation times out. */
  readonly deadline: number;
  readonly functionName: string;
  readonly memoryMb: number;
}

/** What a worker sends back: once `ready` (or `init-error`), then one `result` per invocation. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly initMs: number; readonly exports: readonly string[] }
  | { readonly type: 'init-error'; readonly error: InvocationError }
  | { readonly type: 'result'; readonly id: string; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: string; readonly ok: false; readonly error: InvocationError };
