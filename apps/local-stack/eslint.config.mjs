import root from '../../eslint.config.mjs';

// The reliability suite's Jest config reaches the workspace preset, like jest.config.cjs (ignored at the root).
export default [...root, { ignores: ['jest.reliability.config.cjs'] }];
