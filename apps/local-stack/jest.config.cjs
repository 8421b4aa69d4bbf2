// The reliability suite (tests/reliability) has its own config and target: `nx run local-stack:test-reliability`.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'local-stack',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/tests/reliability/'],
};
