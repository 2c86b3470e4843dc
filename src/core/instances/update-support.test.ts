import { describe, expect, it } from 'vitest'
import { isDue, RECHECK_AFTER_MS } from './update-support'

const NOW = Date.parse('2026-12-01T12:00:00Z')
const at = (ms: number) => new Date(ms).toISOString()

describe('when to ask a server again whether it can update keys', () => {
  it('asks when nothing is known, and again a day after the last answer', () => {
    expect(isDue({ updateSupport: 'unknown', updateCheckedAt: null }, NOW)).toBe(true)
    expect(isDue({ updateSupport: 'unsupported', updateCheckedAt: at(NOW - RECHECK_AFTER_MS + 1000) }, NOW)).toBe(false)
    expect(isDue({ updateSupport: 'unsupported', updateCheckedAt: at(NOW - RECHECK_AFTER_MS) }, NOW)).toBe(true)
    expect(isDue({ updateSupport: 'supported', updateCheckedAt: at(NOW - 2 * RECHECK_AFTER_MS) }, NOW)).toBe(true)
  })

  it('asks again when the recorded time cannot be trusted (unreadable, or ahead of the clock)', () => {
    expect(isDue({ updateSupport: 'supported', updateCheckedAt: 'garbage' }, NOW)).toBe(true)
    expect(isDue({ updateSupport: 'supported', updateCheckedAt: at(NOW + 60_000) }, NOW)).toBe(true)
  })
})
