import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exitCodeFor, EXIT } from './exit-codes'
import { OutputTarget, RevealHandOff, RoutedClipboard } from './ports'

describe('the CLI ports', () => {
  it('--reveal-once hands the value over once and keeps nothing', () => {
    const got: string[] = []
    const handOff = new RevealHandOff((v) => got.push(v))
    handOff.writeText('sk_live_one')
    handOff.writeText('sk_live_two')
    expect(got).toEqual(['sk_live_one'])
    expect(handOff.readText()).toBe('')
  })

  it('the routed clipboard refuses to copy before a command chose where to', () => {
    expect(() => new RoutedClipboard().writeText('x')).toThrow()
  })

  it('an export target does not replace a file without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fbk-target-'))
    try {
      writeFileSync(join(dir, 'keys.csv'), 'old')
      const careful = new OutputTarget('keys.csv', dir, false)
      expect(await careful.choosePath('suggested.csv')).toBeNull()
      expect(careful.refused).toBe(join(dir, 'keys.csv'))
      expect(await new OutputTarget('keys.csv', dir, true).choosePath('suggested.csv')).toBe(join(dir, 'keys.csv'))
      expect(await new OutputTarget(undefined, dir, false).choosePath('suggested.csv')).toBe(join(dir, 'suggested.csv'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('maps the core error codes to exit codes', () => {
    expect(exitCodeFor('invalid_input')).toBe(EXIT.usage)
    expect(exitCodeFor('auth')).toBe(EXIT.auth)
    expect(exitCodeFor('offline')).toBe(EXIT.unreachable)
    expect(exitCodeFor('certificate')).toBe(EXIT.unreachable)
    expect(exitCodeFor('not_found')).toBe(EXIT.failure)
    expect(exitCodeFor('something new')).toBe(EXIT.failure)
  })
})
