const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'image',
  // thumbhash ships ES modules only; SWC turns it into CommonJS for Jest like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash)/)'],
};
