// Applying instances.add / instances.rediscover answers to the renderer's tenant list
// (tenants.ts) without asking the core again.
import { describe, expect, it } from 'vitest'
import type { TenantOverview } from '../../../shared/contract'
import { mergeDiscoveredTenants, type Tenant } from './tenants'

const counts = (active: number) => ({ active, grace: 0, grace_ended: 0, disabled: 0, expired: 0, revoked: 0 })
const tenant = (instanceId: string, id: string, extra: Partial<Tenant> = {}): Tenant => ({
  instanceId, id, slug: id, name: `Tenant ${id}`, isDefault: false, selected: true, autoFinishRotation: false,
  sync: { kind: 'never' }, ...extra
})
const overview = (instanceId: string, id: string, active: number): TenantOverview => ({
  ...tenant(instanceId, id), instanceLabel: `Label ${instanceId}`, counts: counts(active), total: active
})

describe('mergeDiscoveredTenants', () => {
  const current = [overview('a', '1', 3), overview('b', '1', 5), overview('b', '2', 7), overview('c', '1', 1)]

  it('keeps the counts of known tenants, takes the new fields, adds new ones with no keys', () => {
    const next = mergeDiscoveredTenants(current, 'b', 'Label b', [tenant('b', '1', { name: 'Renamed' }), tenant('b', '2'), tenant('b', '3')])
    expect(next.map((t) => `${t.instanceId}/${t.id}`)).toEqual(['a/1', 'b/1', 'b/2', 'b/3', 'c/1'])
    expect(next[1]).toMatchObject({ name: 'Renamed', total: 5, counts: counts(5), instanceLabel: 'Label b' })
    expect(next[3]).toMatchObject({ total: 0, counts: counts(0), instanceLabel: 'Label b', sync: { kind: 'never' } })
  })

  it('drops tenants the answer no longer lists, and leaves other instances alone', () => {
    const next = mergeDiscoveredTenants(current, 'b', 'Label b', [tenant('b', '2')])
    expect(next.map((t) => `${t.instanceId}/${t.id}`)).toEqual(['a/1', 'b/2', 'c/1'])
    expect(next[0]).toBe(current[0])
    expect(next[2]).toBe(current[3])
  })

  it('a new instance goes at the end', () => {
    const next = mergeDiscoveredTenants(current, 'd', 'New', [tenant('d', '9')])
    expect(next.map((t) => `${t.instanceId}/${t.id}`)).toEqual(['a/1', 'b/1', 'b/2', 'c/1', 'd/9'])
    expect(next[4]).toMatchObject({ instanceLabel: 'New', total: 0 })
  })
})
