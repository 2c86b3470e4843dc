import { describe, expect, it } from 'vitest'
import { buildApi, type OperationName } from '../../../shared/contract'
import { watchLocked } from './locked'

describe('watchLocked', () => {
  const answers: Record<string, unknown> = {
    'inventory.query': { ok: false, error: { code: 'locked', message: 'Fluxbase Keys is locked: unlock it with your passcode first.', retryable: true } },
    'keys.get': { ok: false, error: { code: 'not_found', message: 'That key is not in the cache.', retryable: false } },
    'app.status': { ok: true, value: { locked: true } }
  }
  const calls: string[] = []
  const raw = buildApi(async (name: OperationName, input: unknown) => {
    calls.push(`${name} ${JSON.stringify(input)}`)
    return answers[name] ?? { ok: true, value: {} }
  }, () => () => undefined)

  it('tells of a locked answer from any call and passes every answer on unchanged', async () => {
    let told = 0
    const api = watchLocked(raw, () => { told++ })
    expect(await api.inventory.query({ limit: 1, offset: 0 })).toEqual(answers['inventory.query'])
    expect(told).toBe(1)
    expect(await api.keys.get({ instanceId: 'i', tenantId: '00000000-0000-4000-8000-000000000000', keyId: '00000000-0000-4000-8000-000000000001' })).toEqual(answers['keys.get'])
    await api.app.status({})
    await api.lock.touch({})
    expect(told).toBe(1)
    expect(calls[0]).toBe('inventory.query {"limit":1,"offset":0}')
  })

  it('keeps every operation and the event subscription', () => {
    const api = watchLocked(raw, () => undefined)
    expect(Object.keys(api).sort()).toEqual(Object.keys(raw).sort())
    for (const feature of Object.keys(raw) as Array<keyof typeof raw>) {
      if (feature === 'on') continue
      expect(Object.keys(api[feature]).sort()).toEqual(Object.keys(raw[feature]).sort())
    }
    expect(api.on).toBe(raw.on)
    expect(Object.isFrozen(api)).toBe(true)
  })
})
