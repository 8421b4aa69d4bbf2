/**
 * Shared Jest settings: TypeScript through SWC (fast, no type check: `typecheck` does that),
 * Node environment, tests under `tests/` or beside the source as `*.spec.ts`.
 */
// Lambda runs Node 22; on a developer's Node 20 the AWS SDK would warn in every test process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['**/?(*.)+(spec|test).ts?(x)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Workspace packages are consumed as TypeScript source through their package.json `exports`.
  transformIgnorePatterns: ['/node_modules/(?!(@imgpipe|thumbhash)/)'],
};
