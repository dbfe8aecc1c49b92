// Lint rules that catch defects, not style (prettier owns the layout; see .prettierrc.json).
// Type-aware: the rules about promises and conditions need the types, and the whole tree lints in well under a minute.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The layering rule (issue 21): the platform is built on by the modules and never reaches up into them,
 *  the seeds or the migrations; src/app.ts, the composition root, hands them in. tests/layering.test.ts checks the same. */
const platformLayering = {
  patterns: [
    {
      group: ['**/modules/**', '**/modules', '**/seeds/**', '**/migrations/**', '**/app.js'],
      message: 'src/platform must not import modules, seeds, migrations or the composition root: have src/app.ts pass it in.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', '.tools/', '.data/', 'node_modules/', 'bench/results/', 'standards/', 'schema/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // vitest.config.ts lies outside tsconfig.json's include; the default project types it.
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error and its ordering; `void` says it is meant.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Rows from raw SQL, graphql-js's untyped corners and test payloads are `any` by nature; say so where it spreads.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Off, each for a reason the code gives: type-graphql resolvers are async whether or not they await;
      // entity and resolver lists are Function[] by type-graphql's and MikroORM's own signatures; control
      // characters are matched on purpose (refusing them in text); the rest fired only on sound code here
      // (Promise.all over optional closers, Buffers and graphql-js enums compared or printed, methods of
      // modules passed by reference).
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-control-regex': 'off',
      '@typescript-eslint/await-thenable': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', platformLayering] },
  },
  {
    // Plain Node scripts outside the TypeScript project.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
