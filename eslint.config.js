// ESLint: typescript-eslint and eslint-plugin-svelte, Prettier for layout; and the architecture's one
// direction of dependency, enforced: core/ imports neither side, main and renderer never each other.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const forbid = (...patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({
        group: [group],
        message: 'core/ is shared by main and renderer; they never import each other.',
      })),
    },
  ],
});

export default ts.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'tmp/', 'test-results/', 'docs/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'no-regex-spaces': 'off', // the .out log's own format has double spaces ("iMod: 0  lossInit")
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['core/**'], rules: forbid('**/electron/**', '**/renderer/**') },
  { files: ['electron/**'], rules: forbid('**/renderer/**') },
  { files: ['renderer/**'], ignores: ['renderer/renderer.config.ts'], rules: forbid('**/electron/**') },
  // Tests edit raw preset JSON freely.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
