module.exports = { ...require('../../jest.preset.cjs'), displayName: 'lambda-image' };
