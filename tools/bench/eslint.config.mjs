import root from '../../eslint.config.mjs';

export default [
  ...root,
  {
    // The bench is a measuring harness, never shipped: like a test, it starts the local stack through the
    // engine's testing export (`@imgpipe/local-aws/testing`) instead of keeping its own copy of that code.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
