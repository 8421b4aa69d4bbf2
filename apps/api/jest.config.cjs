const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'api',
  // thumbhash (through @imgpipe/image) ships ES modules only; SWC turns it into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash)/)'],
};
