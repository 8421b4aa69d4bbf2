import { buildApp } from './app';
import { ENVIRONMENTS } from './config';
import { readAppSettings } from './settings';

// Settings are read once, here; everything below takes them as typed values.
buildApp({
  settings: readAppSettings(
    process.env,
    ENVIRONMENTS.map((env) => env.name),
  ),
}).synth();
