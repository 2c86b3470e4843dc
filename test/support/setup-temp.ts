// Vitest setup file: each test file gets its own temporary folder as TMPDIR (child processes
// inherit it), its tempDir() folders are removed after it, and anything else it left behind
// fails the file, naming what was left. So a leak is found where it happens, not in /tmp later.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { RUN_TMP_ENV } from './global-temp'
import { removeAllTempDirs } from './temp'

/** Caches of tools the tests start (tsx compiles the emulator's children): not ours to leak. */
const TOOL_CACHES = /^tsx-\d+$/

const outer = process.env.TMPDIR
// Inside the run's folder (global-temp.ts), which the run removes even if this file's hooks never ran.
const fileTmp = mkdtempSync(join(process.env[RUN_TMP_ENV] ?? tmpdir(), 'file-'))
process.env.TMPDIR = fileTmp

afterAll(() => {
  removeAllTempDirs()
  const left = readdirSync(fileTmp).filter((name) => !TOOL_CACHES.test(name))
  rmSync(fileTmp, { recursive: true, force: true })
  if (outer === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = outer
  if (left.length > 0) throw new Error(`this test file left temporary files behind: ${left.join(', ')}`)
})
