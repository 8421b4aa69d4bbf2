import { buildApp } from './app';
import { ENVIRONMENTS } from './config';
import { InfraError } from './errors';
import { resolveImageContext } from './image-context';
import { preflight } from './preflight';
import { readAppSettings } from './settings';

// Settings are read once, here; everything below takes them as typed values.
const settings = readAppSettings(
  process.env,
  ENVIRONMENTS.map((env) => env.name),
);
try {
  // cdktf synthesizes before every deploy: refusing here stops `cdktf deploy` before Terraform starts.
  if (!settings.offlinePlan && !settings.skipPreflight)
    preflight(resolveImageContext(settings.imageContextDir));
  buildApp({ settings }).synth();
} catch (error: unknown) {
  if (!(error instanceof InfraError)) throw error;
  process.stderr.write(`imgpipe infra: ${error.message} [${error.code}]\n`);
  process.exit(1);
}
