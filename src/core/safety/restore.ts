// After the cache was rebuilt (or deleted), what only it held comes back: tenant choices when
// the tenants are rediscovered, settings at once, and each key's local facts and stored-value
// flag when its tenant is synced again (the rows must exist first). Facts not yet applied stay
// in the safety file, so closing the app half-way loses nothing.
import { accounts } from '../secrets'
import type { Cache } from '../cache'
import type { SafetyState } from './state-file'

type Kept = SafetyState['keys'][number]
const tenantKey = (instanceId: string, tenantId: string): string => `${instanceId}\u0000${tenantId}`

export type RestoreStore = Pick<Cache, 'getKey' | 'patchLocal'>

export class SafetyRestore {
  private readonly tenants = new Map<string, SafetyState['tenants'][number]>()
  private readonly keys = new Map<string, Kept[]>()
  /** Keychain accounts that hold a key's value (`key:<instance>:<tenant>:<key>`), by their tenant's prefix. */
  private readonly stored = new Map<string, Set<string>>()

  constructor(kept: SafetyState | null, storedAccounts: readonly string[]) {
    for (const t of kept?.tenants ?? []) this.tenants.set(tenantKey(t.instanceId, t.tenantId), t)
    for (const k of kept?.keys ?? []) {
      const at = tenantKey(k.ref.instanceId, k.ref.tenantId)
      this.keys.set(at, [...(this.keys.get(at) ?? []), k])
    }
    for (const account of storedAccounts) {
      const prefix = accounts.tenantKeyPrefixOf(account)
      const set = this.stored.get(prefix) ?? new Set<string>()
      set.add(account)
      this.stored.set(prefix, set)
    }
  }

  /** The operator's choices for a rediscovered tenant, if kept (taken: the cache holds them from now on). */
  takeTenantChoice(instanceId: string, tenantId: string): { selected: boolean; autoFinishRotation: boolean } | null {
    const at = tenantKey(instanceId, tenantId)
    const t = this.tenants.get(at)
    this.tenants.delete(at)
    return t ? { selected: t.selected, autoFinishRotation: t.autoFinishRotation } : null
  }

  /** Inside the tenant's sync commit, once its rows are written: its keys' facts and flags. */
  afterTenantWrite(cache: RestoreStore, instanceId: string, tenantId: string, keyIds: readonly string[]): void {
    const at = tenantKey(instanceId, tenantId)
    // Most tenants hold no stored value: one lookup, not an account name per key (every sync).
    const prefix = accounts.tenantKeyPrefix(instanceId, tenantId)
    const stored = this.stored.get(prefix)
    if (stored) {
      for (const keyId of keyIds) {
        if (stored.delete(accounts.keyValue(instanceId, tenantId, keyId))) cache.patchLocal({ instanceId, tenantId, keyId }, { hasStoredValue: true })
      }
      if (stored.size === 0) this.stored.delete(prefix)
    }
    const kept = this.keys.get(at)
    if (!kept) return
    const present = new Set(keyIds)
    const left: Kept[] = []
    for (const k of kept) {
      if (!present.has(k.ref.keyId)) { left.push(k); continue }
      cache.patchLocal(k.ref, { localGraceEndsAt: k.localGraceEndsAt, revocationReason: k.revocationReason, orphan: k.orphan, localReplacedBy: k.localReplacedBy })
    }
    if (left.length > 0) this.keys.set(at, left)
    else this.keys.delete(at)
  }

  /** What is kept but not applied yet (the safety file keeps it until it is). */
  pending(): Pick<SafetyState, 'tenants' | 'keys'> {
    return { tenants: [...this.tenants.values()], keys: [...this.keys.values()].flat() }
  }
}
