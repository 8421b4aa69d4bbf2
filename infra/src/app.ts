import { App } from 'cdktf';
import { ENVIRONMENTS, type EnvironmentConfig } from './config';
import { InfraConfigError } from './errors';
import { resolveImageContext } from './image-context';
import type { AppSettings } from './settings';
import { ImgpipeStack, localStateDirectory } from './stack';
import { STATE_STACK, StateStack } from './state-stack';

export interface BuildAppOptions {
  readonly settings: AppSettings;
  /** Synth output directory (default: cdktf's `cdktf.out`, or what the CLI passes). */
  readonly outdir?: string;
  readonly environments?: readonly EnvironmentConfig[];
}

/**
 * The app: one stack per environment (`imgpipe-dev`, `imgpipe-prod`) and, with the S3 backend, the
 * `imgpipe-state` stack that creates its bucket.
 * @example buildApp({ settings: readAppSettings(process.env) }).synth()
 */
export function buildApp(options: BuildAppOptions): App {
  const { settings } = options;
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const all = options.environments ?? ENVIRONMENTS;
  const wanted = settings.environments ?? all.map((env) => env.name);
  const unknown = wanted.filter((name) => !all.some((env) => env.name === name));
  if (unknown.length > 0) {
    throw new InfraConfigError(
      `Expected environments among ${all.map((env) => env.name).join(', ')} but received ${unknown.join(', ')}`,
    );
  }
  const imageContext = resolveImageContext(settings.imageContextDir);
  for (const base of all.filter((env) => wanted.includes(env.name))) {
    const config: EnvironmentConfig = { ...base, ...settings.overrides?.[base.name] };
    new ImgpipeStack(app, `imgpipe-${config.name}`, {
      config,
      imageContext,
      backend: settings.backend,
      offlinePlan: settings.offlinePlan,
      ...(settings.api ? { api: settings.api } : {}),
    });
  }
  if (settings.stateStack) {
    new StateStack(app, STATE_STACK, {
      ...settings.stateStack,
      stateDirectory: localStateDirectory(
        settings.backend.kind === 'local' ? settings.backend.directory : undefined,
      ),
      offlinePlan: settings.offlinePlan,
    });
  }
  return app;
}
