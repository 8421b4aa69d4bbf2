import { Testing } from 'cdktf';
// Brings the matchers' type declarations (`expect(synth).toHaveResourceWithProperties(...)`) into the program.
import type {} from 'cdktf/lib/testing/adapters/jest';

// Adds cdktf's matchers (`toHaveResourceWithProperties`, `toBeValidTerraform`, ...) to `expect`.
Testing.setupJest();
