/**
 * The reliability suite (`npm run test:reliability`): the real function bundles on the local stack,
 * under faults, kills, outages, duplicates, hostile input and load. One file at a time: each suite
 * starts its own stack and the machine has few cores. `RELIABILITY_MODE=quick` (what `npm test` runs)
 * leaves out the 1,000-upload burst; see docs/reliability.md.
 */
const quick = process.env.RELIABILITY_MODE === 'quick';
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'local-stack-reliability',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/reliability/**/*.spec.ts'],
  // thumbhash (through the image library's sniffing) ships ES modules only; SWC turns it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash)/)'],
  testPathIgnorePatterns: [
    ...preset.testPathIgnorePatterns,
    ...(quick ? ['/tests/reliability/burst\\.spec\\.ts$'] : []),
  ],
  maxWorkers: 1,
  testTimeout: 20 * 60_000,
};
