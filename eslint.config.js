import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', 'web/build/', 'web/.svelte-kit/', 'web/src/lib/paraglide/', 'drizzle/migrations/', 'bench/results/', 'dist/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Links go through Paraglide's localizeHref (the app is served at the root, no base
    // path), which this rule does not recognise as resolved.
    files: ['web/**'],
    rules: { 'svelte/no-navigation-without-resolve': 'off' },
  },
  {
    // Command-line tools and benchmarks talk to a terminal.
    files: ['scripts/**', 'bench/**', 'server/cli/**', 'test/unit/crypto/generate-vectors.ts'],
    rules: { 'no-console': 'off' },
  },
);
