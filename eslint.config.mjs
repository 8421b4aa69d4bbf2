// One lint config for the whole workspace. The architecture is written down as Nx tags
// (package.json "nx.tags") and enforced here, so a wrong import fails `nx lint`.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const cdktf = ['cdktf', 'cdktf-cli', '@cdktf/*', 'constructs'];
const awsSdk = ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'];
const localOnly = ['dynalite', 'busboy'];
const cliOnly = ['commander', 'cli-progress'];
const browserOnly = ['preact', 'preact/*', 'vite'];

// Every library tag: what apps and tools may build on.
const anyLib = [
  'type:lib',
  'type:adapter',
  'type:handler-kit',
  'type:engine',
  'type:definition',
  'type:contracts',
  'type:testing',
];

// Who may import whom, in every file of a project (sources, tests, scripts).
const everywhere = [
  // The image library is pure image work: no AWS, no infra, nothing of ours but the definition.
  {
    sourceTag: 'scope:image',
    onlyDependOnLibsWithTags: ['type:definition', 'type:testing'],
    bannedExternalImports: [...awsSdk, ...cdktf],
  },
  // The core holds use cases and ports; adapters plug AWS in from outside.
  {
    sourceTag: 'scope:core',
    onlyDependOnLibsWithTags: ['type:lib', 'type:definition', 'type:contracts', 'type:testing'],
    bannedExternalImports: ['@aws-sdk/*', '@smithy/*', ...cdktf],
  },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:definition'] },
  // The seams' schemas run in browsers too: zod and nothing else.
  {
    sourceTag: 'type:contracts',
    onlyDependOnLibsWithTags: [],
    allowedExternalImports: ['zod'],
  },
  {
    sourceTag: 'type:definition',
    onlyDependOnLibsWithTags: ['type:definition'],
    bannedExternalImports: ['*'],
  },
  {
    sourceTag: 'type:adapter',
    onlyDependOnLibsWithTags: [
      'type:lib',
      'type:definition',
      'type:contracts',
      'type:testing',
      'type:engine',
    ],
    bannedExternalImports: ['sharp', ...cdktf],
  },
  // The local AWS engine (libs/local-aws) emulates the services; it never imports the adapters it serves.
  {
    sourceTag: 'type:engine',
    onlyDependOnLibsWithTags: ['type:lib', 'type:definition', 'type:contracts', 'type:testing'],
    bannedExternalImports: ['sharp', ...cdktf],
  },
  // The Lambda handler kit wires adapters into the core's use cases; image code comes in as a port.
  {
    sourceTag: 'type:handler-kit',
    onlyDependOnLibsWithTags: [
      'type:lib',
      'type:adapter',
      'type:engine',
      'type:definition',
      'type:contracts',
      'type:testing',
    ],
    bannedExternalImports: ['sharp', ...cdktf],
  },
  // Apps import libs, never each other.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: anyLib,
    bannedExternalImports: cdktf,
  },
  // Infra describes the pipeline; it never touches image code.
  {
    sourceTag: 'type:infra',
    onlyDependOnLibsWithTags: ['type:definition', 'type:contracts', 'type:testing'],
    bannedExternalImports: ['sharp', '@img/*', ...awsSdk],
  },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: anyLib,
    bannedExternalImports: cdktf,
  },
];

// Source code (`src/`) is held to more: tests may import more than the code they test.
const shipped = [
  // The functions ship to Lambda: no local engine or test helpers (only these tags, imported directly), and
  // no emulators, CLI or console code in their bundles.
  {
    sourceTag: 'scope:function',
    onlyDependOnLibsWithTags: [
      'type:lib',
      'type:adapter',
      'type:handler-kit',
      'type:definition',
      'type:contracts',
    ],
    bannedExternalImports: [...localOnly, ...cliOnly, ...browserOnly],
  },
  // The handler kit is the functions' alone; the CLI runs use cases directly or asks the stack.
  { sourceTag: 'scope:cli', notDependOnLibsWithTags: ['type:handler-kit'] },
  // The console is a web page: it reads the stack over HTTP, through the contracts' schemas.
  {
    sourceTag: 'scope:console',
    notDependOnLibsWithTags: ['type:lib', 'type:adapter', 'type:handler-kit'],
    bannedExternalImports: ['sharp', ...awsSdk, ...localOnly],
  },
  // The local engine runs the functions as workers: image work stays in them, off the edge's event loop
  // (only these tags, imported directly: the core, not the image library behind it).
  {
    sourceTag: 'scope:local',
    onlyDependOnLibsWithTags: ['scope:core', 'type:engine', 'type:definition', 'type:contracts'],
    bannedExternalImports: ['sharp', '@img/*'],
  },
];

/** The module-boundaries rule with `constraints`. */
const boundaries = (constraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints },
];

// Testing harnesses (any package's `./testing` export) start emulators and fake AWS: only tests may
// import them, never source code. (`@imgpipe/testing`, the image corpus, is governed by its tag.)
const noTestingHarness = [
  'error',
  {
    patterns: [
      {
        group: ['@imgpipe/*/testing', '@imgpipe/*/testing/*'],
        message: 'A testing harness is for tests only: source code may not import it.',
      },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/.nx',
      '**/cdktf.out',
      '**/.gen',
      '**/coverage',
      '**/.imgpipe',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.cjs'],
    // Tool configuration files legitimately reach the workspace root.
    ignores: ['**/eslint.config.mjs', '**/jest.config.cjs', '**/vite.config.*'],
    rules: { '@nx/enforce-module-boundaries': boundaries(everywhere) },
  },
  {
    // Patterns relative to whichever config lints: this root one, or a project's that re-exports it.
    files: ['**/src/**/*.{ts,tsx,js,mjs,cjs}'],
    // A harness may build on another harness.
    ignores: ['**/src/testing/**'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([...everywhere, ...shipped]),
      'no-restricted-imports': noTestingHarness,
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/tests/**/*.ts'],
    rules: {
      // A skipped or focused test proves nothing.
      'no-restricted-properties': [
        'error',
        ...['it', 'test', 'describe'].flatMap((object) =>
          ['skip', 'only'].map((property) => ({
            object,
            property,
            message: 'Skipped or focused tests prove nothing.',
          })),
        ),
      ],
      'no-restricted-globals': ['error', 'xit', 'xtest', 'xdescribe', 'fit', 'fdescribe'],
      // Tests index into arrays they have just asserted on.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
];
