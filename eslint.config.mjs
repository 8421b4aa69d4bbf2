// One lint config for the whole workspace. The architecture is written down as Nx tags
// (package.json "nx.tags") and enforced here, so a wrong import fails `nx lint`.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const cdktf = ['cdktf', 'cdktf-cli', '@cdktf/*', 'constructs'];
const awsSdk = ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'];

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
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
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
            // Apps import libs, never each other.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:lib',
                'type:adapter',
                'type:engine',
                'type:definition',
                'type:contracts',
                'type:testing',
              ],
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
              onlyDependOnLibsWithTags: [
                'type:lib',
                'type:adapter',
                'type:engine',
                'type:definition',
                'type:contracts',
                'type:testing',
              ],
              bannedExternalImports: cdktf,
            },
          ],
        },
      ],
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
