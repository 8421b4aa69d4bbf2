import { spawnLocalStack, type SpawnedStack, type SpawnStackOptions } from '@imgpipe/local-aws/testing';

export type StackOptions = SpawnStackOptions & { readonly dataDir: string };
export type RunningStack = SpawnedStack;

/** The real local stack in a child process (the engine's testing export), ready when this resolves. */
export function startStack(options: StackOptions): Promise<RunningStack> {
  return spawnLocalStack(options);
}
