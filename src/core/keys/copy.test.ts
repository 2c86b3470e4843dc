import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InMemoryClipboard } from '../../../e2e/harness/fakes'
import type { SecretStore } from '../secrets'
import { ClipboardGuard } from './copy'

/** TEST FAKE of the keychain: one stored value. */
const oneValue = (value: string): SecretStore => ({
  get: async () => value, set: async () => undefined, delete: async () => true, list: async () => []
})
const ref = { instanceId: 'i', tenantId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', keyId: '4f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }

describe('ClipboardGuard', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('copying the same key again starts its clear timer over', async () => {
    const clipboard = new InMemoryClipboard()
    const cleared: boolean[] = []
    const guard = new ClipboardGuard(clipboard, (_ref, c) => cleared.push(c))
    const secrets = oneValue('sk_live_value')
    await guard.copy(secrets, ref, 30)
    await vi.advanceTimersByTimeAsync(20_000)
    await guard.copy(secrets, ref, 30) // copied again, 10 s before the first clear
    await vi.advanceTimersByTimeAsync(15_000) // the first timer's moment has passed
    expect(clipboard.readText()).toBe('sk_live_value')
    await vi.advanceTimersByTimeAsync(15_000) // 30 s after the second copy
    expect(clipboard.readText()).toBe('')
    expect(cleared).toEqual([true])
  })
})
