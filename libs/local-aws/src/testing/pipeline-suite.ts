import type { AnyFunctionName, PipelineOptions } from '@imgpipe/pipeline';
import { type PipelineServers, startPipelineServers } from './pipeline-servers';
import { buildFunctionBundle } from './run-bundle';

/** What `usePipelineServers` hands a test file: read it in hooks and tests, after its `beforeAll` ran. */
export interface PipelineSuite {
  readonly servers: PipelineServers;
  /** The function's built bundle, when `bundle` named one. */
  readonly bundle: string;
}

export interface PipelineSuiteOptions {
  /** Build this function's bundle first (as its `build` target does). */
  readonly bundle?: AnyFunctionName;
  readonly pipeline?: PipelineOptions;
}

/**
 * Registers the `beforeAll`/`afterAll` pair a function's test file needs: builds its bundle when asked,
 * starts the pipeline servers, and stops them after the file. Hooks the file registers later run after
 * these, so they can use `suite.servers`.
 * @example const suite = usePipelineServers({ bundle: 'resize' }); // then suite.servers.upload(…), suite.bundle
 */
export function usePipelineServers(options: PipelineSuiteOptions = {}): PipelineSuite {
  let servers: PipelineServers | undefined;
  let bundle: string | undefined;
  beforeAll(async () => {
    if (options.bundle) bundle = buildFunctionBundle(options.bundle);
    servers = await startPipelineServers(options.pipeline);
  });
  afterAll(async () => {
    await servers?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`usePipelineServers: no ${what} yet (read it in a hook or test)`);
    return value;
  };
  return {
    get servers() {
      return started(servers, 'servers');
    },
    get bundle() {
      return started(bundle, 'bundle (pass `bundle` to build one)');
    },
  };
}
