// The clipboard's clear-only-if-unchanged logic (src/main/clipboard.ts). The system clipboard is a
// FAKE in-memory object here: Electron's clipboard cannot run on this machine, so this boundary
// is covered by the fake and by type-checking against electron.d.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClipboard, type SystemClipboard } from '../../src/main/clipboard'

/** In-memory stand-in for Electron 45's async clipboard. */
function fakeSystemClipboard() {
  let text = ''
  const fake = {
    clears: 0,
    get text() { return text },
    set text(value: string) { text = value },
    async writeText(value: string) { text = value },
    async readText() { return text },
    clear() { text = ''; fake.clears++ }
  }
  return fake satisfies SystemClipboard
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('clipboard port (fake system clipboard)', () => {
  it('writes and reads through', async () => {
    const fake = fakeSystemClipboard()
    const port = createClipboard(fake, { clearAfterMs: () => 30_000 })
    await port.writeText('fbk_secret_value')
    expect(await port.readText()).toBe('fbk_secret_value')
    port.dispose()
  })

  it('safety net clears after the delay (+margin) when the value is still there', async () => {
    const fake = fakeSystemClipboard()
    const onSafetyClear = vi.fn()
    const port = createClipboard(fake, { clearAfterMs: async () => 30_000, safetyMarginMs: 1000, onSafetyClear })
    await port.writeText('fbk_secret_value')
    await vi.advanceTimersByTimeAsync(30_999)
    expect(fake.text).toBe('fbk_secret_value')
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.text).toBe('')
    expect(onSafetyClear).toHaveBeenCalledOnce()
  })

  it('never clears what the operator copied since', async () => {
    const fake = fakeSystemClipboard()
    const port = createClipboard(fake, { clearAfterMs: () => 5_000 })
    await port.writeText('fbk_secret_value')
    fake.text = 'something the operator copied'
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fake.text).toBe('something the operator copied')
    expect(fake.clears).toBe(0)
    expect(await port.clearIfOurs()).toBe(false)
    expect(fake.text).toBe('something the operator copied')
  })

  it('clears on quit only while our value is still there', async () => {
    const fake = fakeSystemClipboard()
    const port = createClipboard(fake, { clearAfterMs: () => 30_000 })
    expect(await port.clearIfOurs()).toBe(false) // nothing written yet
    await port.writeText('fbk_secret_value')
    expect(await port.clearIfOurs()).toBe(true)
    expect(fake.text).toBe('')
    expect(await port.clearIfOurs()).toBe(false) // already cleared: do not clear again
    expect(fake.clears).toBe(1)
    port.dispose()
  })

  it('a second copy supersedes the first: the first timer does not clear the second value early', async () => {
    const fake = fakeSystemClipboard()
    const port = createClipboard(fake, { clearAfterMs: () => 10_000, safetyMarginMs: 0 })
    await port.writeText('first_value')
    await vi.advanceTimersByTimeAsync(5_000)
    await port.writeText('second_value')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(fake.text).toBe('second_value')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(fake.text).toBe('')
  })

  it('dispose cancels pending clears', async () => {
    const fake = fakeSystemClipboard()
    const port = createClipboard(fake, { clearAfterMs: () => 1_000 })
    await port.writeText('fbk_secret_value')
    port.dispose()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fake.clears).toBe(0)
  })

  it('keeps no copy of the value, only a digest', async () => {
    const fake = fakeSystemClipboard()
    const port = createClipboard(fake, { clearAfterMs: () => 1_000 })
    await port.writeText('fbk_secret_value_123')
    expect(JSON.stringify(Object.entries(port))).not.toContain('fbk_secret_value_123')
    port.dispose()
  })
})
