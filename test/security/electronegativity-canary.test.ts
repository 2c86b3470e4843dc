// Canary for the electronegativity gate: in a temporary copy of the scanned tree, plant an
// insecure BrowserWindow in the main process and run the very gate electronegativity.test.ts runs.
// It must report the planted settings as unjustified findings, by check id and line. If the gate
// ever stops seeing findings (tool not run, findings lost or misparsed, exceptions too broad),
// this test fails while the real gate would pass.
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { copyScannedTree, describeFinding, runGate, withTempDir } from './electronegativity-gate'

/** Appended to the copy's src/main/window.ts, which already imports BrowserWindow from electron. */
const PLANTED = `
// CANARY: planted by electronegativity-canary.test.ts in a temporary copy; never in the repo.
export function createCanaryWindow(): BrowserWindow {
  return new BrowserWindow({
    webPreferences: {
      sandbox: false,
      contextIsolation: false
    }
  })
}
`
/** What the tool reports for the planted lines (dist/finder/checks/AtomicChecks/*JSCheck.js ids). */
const EXPECTED = [
  { check: 'SANDBOX_JS_CHECK', line: 'sandbox: false' },
  { check: 'CONTEXT_ISOLATION_JS_CHECK', line: 'contextIsolation: false' }
]

it('the gate reports a planted sandbox: false / contextIsolation: false window as unjustified', async () => {
  await withTempDir('fk-electronegativity-canary-', async (work) => {
    const scanDir = join(work, 'scan')
    copyScannedTree(scanDir)
    const target = join(scanDir, 'src/main/window.ts')
    const firstPlantedLine = readFileSync(target, 'utf8').split('\n').length + 1
    appendFileSync(target, PLANTED)
    const lines = readFileSync(target, 'utf8').split('\n')
    const lineOf = (text: string): number => lines.findIndex((l, i) => i + 1 >= firstPlantedLine && l.trim().startsWith(text)) + 1

    const gate = await runGate(scanDir, work)
    const unjustified = gate.unjustified.map((f) => `${f.check} ${f.file}:${f.line}`)
    console.log(`canary: ${gate.findings.length} finding(s), unjustified:\n  ${gate.unjustified.map(describeFinding).join('\n  ')}`)

    expect(gate.errors.filter((e) => !e.tolerable), 'the planted copy must still parse').toEqual([])
    for (const { check, line } of EXPECTED) {
      expect(lineOf(line), `planted line "${line}" not found`).toBeGreaterThanOrEqual(firstPlantedLine)
      expect(unjustified, `${check} at the planted "${line}"`).toContain(`${check} src/main/window.ts:${lineOf(line)}`)
    }
    // The planted window is the only new problem: everything unjustified is in the planted lines,
    // and the reviewed exceptions still match the untouched code.
    expect(gate.unjustified.filter((f) => f.file !== 'src/main/window.ts' || f.line < firstPlantedLine).map(describeFinding)).toEqual([])
    expect(gate.stale.map((e) => `${e.check} ${e.file}`)).toEqual([])
  })
}, 300_000)
