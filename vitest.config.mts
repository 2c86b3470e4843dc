import { defineConfig } from 'vitest/config'

// Integration tests use real native modules (keytar, better-sqlite3): run them in forked
// processes. Two cores in CI, so keep parallelism modest.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'emulator/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Per-file TMPDIR inside one folder per run; removes each file's temporary folders and fails
    // the file on leftovers; the run's folder goes at the end whatever ran.
    globalSetup: ['test/support/global-temp.ts'],
    setupFiles: ['test/support/setup-temp.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
