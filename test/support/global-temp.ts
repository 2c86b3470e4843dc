// Vitest global setup: one folder under the system temp dir for the whole run. Each test file's
// own TMPDIR (setup-temp.ts) is made inside it, and it is removed when the run ends, so even a
// file whose hooks never ran (every test skipped, e.g. with -t) leaves nothing in /tmp.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const RUN_TMP_ENV = 'FBK_TEST_RUN_TMP'

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'fbk-vitest-'))
  // Forked workers start after this and inherit it.
  process.env[RUN_TMP_ENV] = root
  return () => rmSync(root, { recursive: true, force: true })
}
