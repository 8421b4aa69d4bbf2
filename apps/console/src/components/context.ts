import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { LiveEvent } from '../lib/live';

/** What every view needs: the API client, the live event bus and the polite announcer. */
export interface ConsoleContext {
  readonly client: ApiClient;
  /** Dispatches `CustomEvent<LiveEvent>` named after the event type, and `poll` on polling ticks. */
  readonly bus: EventTarget;
  readonly announce: (message: string) => void;
}

export const Ctx = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Ctx);
  if (!value) throw new Error('useConsole() must be used inside <Ctx.Provider>');
  return value;
}

/** Subscribes to bus events of the given names; the handler sees the LiveEvent (or undefined for `poll`). */
export function subscribe(
  bus: EventTarget,
  names: readonly string[],
  handler: (event: LiveEvent | undefined) => void,
): () => void {
  const listener = (e: Event): void => handler((e as CustomEvent<LiveEvent | undefined>).detail);
  for (const name of names) bus.addEventListener(name, listener);
  return () => {
    for (const name of names) bus.removeEventListener(name, listener);
  };
}
