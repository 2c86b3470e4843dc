import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration, toDays, toHours } from './duration'

const H = 3_600_000

describe('durations', () => {
  it('reads units and combinations', () => {
    expect(parseDuration('48h')).toBe(48 * H)
    expect(parseDuration('2d')).toBe(48 * H)
    expect(parseDuration('1w')).toBe(168 * H)
    expect(parseDuration('1d12h')).toBe(36 * H)
    expect(parseDuration('90m')).toBe(1.5 * H)
    expect(parseDuration(' 30S ')).toBe(30_000)
  })

  it('takes a bare number only in the unit the option names', () => {
    expect(parseDuration('48')).toBeNull()
    expect(parseDuration('48', 'h')).toBe(48 * H)
    expect(parseDuration('90', 'd')).toBe(90 * 24 * H)
  })

  it('refuses what is not a duration', () => {
    for (const text of ['', 'soon', '2x', '1h 2', 'h', '-1h', '0h']) expect(parseDuration(text), text).toBeNull()
  })

  it('converts for the contract and prints compactly', () => {
    expect(toHours(parseDuration('90m') ?? 0)).toBe(1.5) // the core's graceHours check refuses it, with its sentence
    expect(toDays(36 * H)).toBe(2)
    expect(formatDuration(48 * H)).toBe('2d')
    expect(formatDuration(50 * H)).toBe('2d 2h')
    expect(formatDuration(90 * 60_000)).toBe('1h 30m')
    expect(formatDuration(-12_000)).toBe('12s')
  })
})
