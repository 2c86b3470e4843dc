// Pieces both server generations share: guarded handlers, id parsing, key insertion.
import { randomUUID } from 'node:crypto'
import { guard, type App, type Guarded } from './app'
import { errorReply, bareError, type Ctx, type Handler, type Reply } from './http'
import { hashKey, keyPrefixOf, newKeyValue, type KeyFormat } from './keys'
import { isUuid } from './prng'
import type { KeyRecord, KeyType, NewKey } from './store'

export const SK_BASE = '/api/v1/admin/service-keys'

export function guarded(app: App, roles: readonly string[], fn: (ctx: Ctx, g: Guarded) => Reply, strict = false): Handler {
  return (ctx) => {
    const r = guard(app, ctx, roles, strict)
    return r.ok ? fn(ctx, r.g) : r.reply
  }
}

/** `:id` as a UUID (lower-cased like uuid.Parse + String()), or the 400 INVALID_ID reply. */
export function parseId(app: App, ctx: Ctx): { ok: true; id: string } | { ok: false; reply: Reply } {
  const raw = ctx.params.id ?? ''
  if (isUuid(raw)) return { ok: true, id: raw.toLowerCase() }
  return {
    ok: false,
    reply: app.profile === 'legacy' ? bareError(400, 'Invalid service key ID') : errorReply(ctx, 400, 'Invalid service key ID', 'INVALID_ID')
  }
}

/** Builds and inserts a key with a fresh value; returns the record and the one-time plaintext. */
export function insertNewKey(
  app: App,
  fields: Omit<NewKey, 'id' | 'keyHash' | 'keyPrefix'>,
  format: KeyFormat
): { rec: KeyRecord; key: string } {
  let key = newKeyValue(fields.keyType, format)
  // key_prefix is UNIQUE (§6.2); a clash of 8 random chars is astronomically rare, but retry.
  while (app.store.prefixTaken(keyPrefixOf(key))) key = newKeyValue(fields.keyType, format)
  const rec = app.store.insertKey({ ...fields, id: randomUUID(), keyHash: hashKey(key), keyPrefix: keyPrefixOf(key) })
  return { rec, key }
}

export function blankKeyFields(tenantId: string, name: string, keyType: KeyType, now: number): Omit<NewKey, 'id' | 'keyHash' | 'keyPrefix'> {
  return {
    tenantId,
    name,
    description: null,
    keyType,
    scopes: keyType === 'anon' ? ['read'] : ['*'],
    allowedNamespaces: null,
    enabled: true,
    rateLimitPerMinute: null,
    rateLimitPerHour: null,
    createdBy: null,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    deprecatedAt: null,
    gracePeriodEndsAt: null,
    replacedBy: null
  }
}
