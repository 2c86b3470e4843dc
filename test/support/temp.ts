// Temporary folders for tests. Every folder made here is removed after its test file, even
// when a test failed (setup-temp.ts registers the hook), so a run leaves nothing in /tmp.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made = new Set<string>()

export function tempDir(prefix = 'fbk-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.add(dir)
  return dir
}

/** Removes a folder made by tempDir now (large fixtures need not wait for the end of the file). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  made.delete(dir)
}

export function removeAllTempDirs(): void {
  for (const dir of [...made]) removeTempDir(dir)
}
