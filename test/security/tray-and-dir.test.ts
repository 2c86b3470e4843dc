// Tray wording (src/main/security/tray-summary.ts) and the 0700 data directory (private-dir.ts).
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countInGrace, trayTooltip } from '../../src/main/security/tray-summary'
import { ensurePrivateDir } from '../../src/main/security/private-dir'
import { tempDir } from '../support/temp'

describe('tray tooltip', () => {
  it('says what is ending soon', () => {
    expect(trayTooltip(null)).toBe('Fluxbase Keys')
    expect(trayTooltip({ inGrace: 0, expiringSoon: 0 })).toBe('Fluxbase Keys: nothing ending soon')
    expect(trayTooltip({ inGrace: 1, expiringSoon: 0 })).toBe('Fluxbase Keys: 1 key in grace')
    expect(trayTooltip({ inGrace: 3, expiringSoon: 2 })).toBe('Fluxbase Keys: 3 keys in grace, 2 keys expiring within 7 days')
  })

  it('sums grace counts over tenants', () => {
    expect(countInGrace([{ counts: { grace: 2, active: 5 } }, { counts: { active: 1 } }, { counts: { grace: 1 } }])).toBe(3)
  })
})

describe.skipIf(process.platform === 'win32')('ensurePrivateDir', () => {
  it('creates the directory 0700 and tightens an existing one', () => {
    const base = tempDir('fbk-dir-')
    const fresh = ensurePrivateDir(join(base, 'a', 'b'))
    expect(statSync(fresh).mode & 0o777).toBe(0o700)
    const existing = join(base, 'loose')
    mkdirSync(existing, { mode: 0o755 })
    ensurePrivateDir(existing)
    expect(statSync(existing).mode & 0o777).toBe(0o700)
  })
})
