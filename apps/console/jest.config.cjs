// Unit tests (tests/*.spec.ts) and the browser tests against the real local stack (tests/*.e2e.spec.ts).
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'console',
  // thumbhash ships only ES modules.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash)/)'],
};
