import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// Main and preload are CommonJS (package.json has no "type": "module") so the preload
// can run with sandbox: true. Native modules (keytar, better-sqlite3) stay external.
export default defineConfig({
  main: {
    build: { externalizeDeps: true, rollupOptions: { input: { index: resolve('src/main/index.ts') } } }
  },
  preload: {
    // Bundle everything (zod included): a sandboxed preload can only require 'electron'.
    build: { externalizeDeps: false, rollupOptions: { input: { index: resolve('src/preload/index.ts') } } }
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [svelte()],
    // Minified: the window parses less before its first paint (834 KB of JS unminified).
    build: { minify: 'esbuild', rollupOptions: { input: { index: resolve('src/renderer/index.html') } } }
  }
})
