const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'cli',
  // thumbhash (through @imgpipe/image) and p-map ship ES modules only.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash|p-map)/)'],
};
