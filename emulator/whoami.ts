// A stand-in data route that validates a presented service key like clientkey_auth.go (§6.3).
// It rejects disabled, revoked and expired keys, but NOT deprecated keys past their grace end.
import type { App } from './app'
import { bareError, header, jsonReply, type Router } from './http'
import { hashMatches, KEY_PREFIX_LENGTH } from './keys'

const ROLE_FOR_TYPE: Record<string, string> = { service: 'service_role', anon: 'anon' }

export function registerWhoami(r: Router, app: App): void {
  r.add('GET', '/api/v1/whoami', (ctx) => {
    const invalid = () => bareError(401, 'Invalid service key')
    let key = header(ctx, 'x-service-key')
    if (key === undefined) {
      const authz = header(ctx, 'authorization') ?? ''
      if (authz.startsWith('ServiceKey ')) key = authz.slice('ServiceKey '.length).trim()
    }
    if (key === undefined) return bareError(401, 'Missing service key')
    if (key.length < 8 || !(key.startsWith('sk_') || key.startsWith('pk_'))) return invalid()
    const rec = app.store.keyByPrefix(key.slice(0, KEY_PREFIX_LENGTH))
    const now = app.clock.now()
    if (!rec || !rec.enabled || rec.revokedAt !== null || (rec.expiresAt !== null && rec.expiresAt < now) || !hashMatches(key, rec.keyHash)) {
      return invalid()
    }
    rec.lastUsedAt = now
    app.store.changed(rec)
    return jsonReply(200, {
      key_id: rec.id,
      key_type: rec.keyType,
      role: ROLE_FOR_TYPE[rec.keyType] ?? 'service_role',
      scopes: rec.scopes,
      // What the data plane would enforce (the admin API omits an empty list, this does not).
      allowed_namespaces: rec.allowedNamespaces,
      tenant_id: rec.tenantId === '' ? null : rec.tenantId
    })
  })
}
