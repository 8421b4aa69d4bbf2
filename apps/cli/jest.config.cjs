const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'cli',
  // thumbhash (through @imgpipe/image) ships ES modules only.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash)/)'],
};
