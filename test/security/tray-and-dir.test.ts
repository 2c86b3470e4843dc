// Tray wording (src/main/security/tray-summary.ts) and the 0700 data directory (private-dir.ts).
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countInGrace, trayBadge, trayTooltip } from '../../src/main/security/tray-summary'
import { ensurePrivateDir } from '../../src/main/security/private-dir'
import { tempDir } from '../support/temp'

describe('tray tooltip and badge', () => {
  const counts = (needAttention: number, critical: number, inGrace: number) => ({ locked: false as const, needAttention, critical, inGrace })

  it('says what needs attention and what is in grace', () => {
    expect(trayTooltip(null)).toBe('Fluxbase Keys')
    expect(trayTooltip(counts(0, 0, 0))).toBe('Fluxbase Keys: nothing needs attention')
    expect(trayTooltip(counts(0, 0, 1))).toBe('Fluxbase Keys: 1 key in grace')
    expect(trayTooltip(counts(1, 0, 0))).toBe('Fluxbase Keys: 1 item needs attention')
    expect(trayTooltip(counts(4, 1, 3))).toBe('Fluxbase Keys: 4 items need attention (1 critical), 3 keys in grace')
  })

  it('while locked says only that, and shows no badge', () => {
    expect(trayTooltip({ locked: true })).toBe('Fluxbase Keys: locked')
    expect(trayBadge({ locked: true })).toBe(0)
  })

  it('the badge is the attention count', () => {
    expect(trayBadge(null)).toBe(0)
    expect(trayBadge(counts(0, 0, 5))).toBe(0)
    expect(trayBadge(counts(7, 2, 0))).toBe(7)
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
