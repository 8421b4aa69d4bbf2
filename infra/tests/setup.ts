import { Testing } from 'cdktf';
// Brings the matchers' type declarations (`expect(synth).toHaveResourceWithProperties(...)`) into the program.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { useTempDirs } from '@imgpipe/testing';

// Adds cdktf's matchers (`toHaveResourceWithProperties`, `toBeValidTerraform`, ...) to `expect`.
Testing.setupJest();

// `Testing.app()` (and `Testing.synthScope`, which calls it) makes a `cdktf.outdir.*` in the OS temp dir
// per call and never removes it: without an outdir of their own, this file's apps get one this test file
// owns, removed after its tests. (`Testing.fullSynth` makes one too and returns it: remove it after use.)
const tempDir = useTempDirs();
const testingApp = Testing.app.bind(Testing);
Testing.app = (options = {}) => testingApp({ ...options, outdir: options.outdir ?? tempDir('cdktf.outdir') });
