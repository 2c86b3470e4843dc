import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './e2e/harness/chromium'

// chromium-harness: the built renderer in Debian Chromium with the real core behind it
// (e2e/harness). electron: the same journeys through _electron.launch, owned by e2e/electron;
// it skips itself with a printed reason where no Electron binary exists (as on this machine).
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: process.env.CI ? 2 : 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--headless', ...CHROMIUM_ARGS]
    },
    trace: 'off'
  },
  projects: [
    { name: 'chromium-harness', testDir: 'e2e', testIgnore: ['electron/**'], testMatch: /.*\.spec\.ts$/ },
    { name: 'electron', testDir: 'e2e/electron' }
  ]
})
