// Security gate: run electronegativity over the Electron shell's sources and fail on any finding
// that security/electronegativity-exceptions.json does not justify (and on stale exceptions).
// electronegativity exits 0 even with HIGH findings, so its findings are what is gated. They are
// taken from its programmatic API, not from its CSV report, whose writer races with itself; see
// electronegativity-gate.ts. electronegativity-canary.test.ts proves the gate still catches findings.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { copyScannedTree, describeFinding, ELECTRON_VERSION, runGate, withTempDir } from './electronegativity-gate'

it('electronegativity finds nothing that is not a reviewed exception', async () => {
  await withTempDir('fk-electronegativity-', async (work) => {
    const scanDir = join(work, 'scan')
    copyScannedTree(scanDir)
    const gate = await runGate(scanDir, work)

    console.log(`electronegativity ${ELECTRON_VERSION}: ${gate.atomicChecks} atomic + ${gate.globalChecks} global checks, ${gate.findings.length} finding(s), ${gate.findings.length - gate.unjustified.length} covered by reviewed exceptions`)
    for (const warning of gate.errors.filter((e) => e.tolerable)) console.log(`electronegativity parse warning (tolerated): ${warning.file}: ${warning.message}`)

    expect(gate.atomicChecks, 'electronegativity loaded no checks').toBeGreaterThan(0)
    expect(gate.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`), 'files electronegativity could not analyse (their findings would be missing)').toEqual([])
    expect(gate.unjustified.map(describeFinding), 'unjustified electronegativity findings: fix them or review them into security/electronegativity-exceptions.json').toEqual([])
    expect(gate.stale.map((e) => `${e.check} ${e.file}`), 'stale exceptions (no longer match a finding): remove them').toEqual([])
  })
}, 300_000)
