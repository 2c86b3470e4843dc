// Process boundaries are enforced here, not by memory (see ARCHITECTURE.md).
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')
const svelte = require('eslint-plugin-svelte')
const globals = require('globals')

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'events', 'stream']
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }]
})

module.exports = tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'bench/.build/**', '.exp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off'
    }
  },
  {
    files: ['src/renderer/**/*.svelte', 'src/renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } }
  },
  {
    files: ['src/renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(['electron', 'electron/*', ...nodeBuiltins, '**/core/**', '**/main/**', '**/preload/index*', 'keytar', 'better-sqlite3'],
      'The renderer talks only to window.api; it never imports electron, node or core.')
  },
  {
    files: ['src/shared/**/*'],
    rules: restrict(['electron', 'electron/*', ...nodeBuiltins, '**/core/**', '**/main/**', '**/renderer/**', '**/preload/**', 'keytar', 'better-sqlite3'],
      'src/shared is pure: no node, electron, DOM or app layers.')
  },
  {
    files: ['src/core/**/*'],
    rules: restrict(['electron', 'electron/*', '**/main/**', '**/renderer/**', '**/preload/**', '**/emulator/**'],
      'src/core is plain Node: it never imports electron or the app shells, and never the emulator.')
  },
  {
    files: ['src/preload/**/*'],
    rules: restrict([...nodeBuiltins, '**/core/**', '**/main/**', '**/renderer/**', 'keytar', 'better-sqlite3'],
      'The preload only bridges the contract; it never reaches core or node.')
  },
  {
    files: ['emulator/**/*'],
    rules: restrict(['**/src/**'],
      'The emulator stands alone, like the real server: it never imports the client or the app.')
  }
)
