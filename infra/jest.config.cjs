module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'infra',
  setupFilesAfterEnv: ['<rootDir>/tests/setup.ts'],
};
