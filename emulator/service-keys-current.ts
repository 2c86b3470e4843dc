// The 11 service-key endpoints of the current (nimbleflux) server, §4, quirks included.
import { ADMIN_ROLES, tenantUuid, type App, type TenantScope } from './app'
import { DecodeError, optBool, optInt, optString, optStringArray, optTime, scanInt } from './decode'
import {
  errorReply, fiberError, formValue, jsonReply, noContent, panicReply, parseBody, rawJsonReply,
  type BodyObject, type Ctx, type Reply, type Router
} from './http'
import { createdKeyObject, keyJson, keyListJson } from './serialize'
import { blankKeyFields, guarded, insertNewKey, parseId, SK_BASE } from './service-keys-common'
import type { KeyRecord, KeyType } from './store'
import { nanoSuffix } from './time-format'

const HOUR_MS = 3_600_000

export function registerCurrentServiceKeys(r: Router, app: App): void {
  const h = (fn: Parameters<typeof guarded>[2]) => guarded(app, ADMIN_ROLES, fn)
  const notFound = (ctx: Ctx): Reply => errorReply(ctx, 404, 'Service key not found', 'NOT_FOUND')
  // ParseBody returns a fiber.Error: the error handler writes it (and idempotency marks the key failed).
  const badBody = (ctx: Ctx): Reply => fiberError(ctx, 400, 'Invalid request body')
  const tf = app.time

  /** A lookup WITH the tenant filter (get, delete, disable, enable): a slug panics first (§3). */
  const findFiltered = (ctx: Ctx, tenant: TenantScope, id: string): { ok: true; rec: KeyRecord } | { ok: false; reply: Reply } => {
    const t = tenantUuid(tenant)
    if (t.kind === 'invalid') return { ok: false, reply: panicReply() }
    const rec = app.store.getKey(id)
    if (!rec || (t.kind === 'uuid' && rec.tenantId !== t.id)) return { ok: false, reply: notFound(ctx) }
    return { ok: true, rec }
  }

  // §4.1 list: tenant filter; a slug reaches Postgres as text and fails the query.
  r.add('GET', SK_BASE, h((ctx, g) => {
    const t = tenantUuid(g.tenant)
    if (t.kind === 'invalid') return errorReply(ctx, 500, 'Failed to list service keys', 'INTERNAL_ERROR')
    const keys = t.kind === 'none' ? app.store.listAllKeys() : app.store.listTenantKeys(t.id)
    return rawJsonReply(200, keyListJson(keys, 'current', tf))
  }))

  // §4.2 get
  r.add('GET', `${SK_BASE}/:id`, h((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const f = findFiltered(ctx, g.tenant, id.id)
    return f.ok ? rawJsonReply(200, keyJson(f.rec, 'current', tf)) : f.reply
  }))

  // §4.3 create
  r.add('POST', SK_BASE, h((ctx, g) => {
    const body = parseBody(ctx)
    if (!body.ok) return badBody(ctx)
    let req: ReturnType<typeof decodeCreate>
    try {
      req = decodeCreate(body.value, body.kind)
    } catch (e) {
      if (e instanceof DecodeError) return badBody(ctx)
      throw e
    }
    if (req.name === '') return errorReply(ctx, 400, 'Name is required', 'MISSING_REQUIRED_FIELD')
    let keyType: KeyType = 'service'
    if (req.keyType !== null && req.keyType !== '') {
      if (req.keyType !== 'anon' && req.keyType !== 'service') {
        return errorReply(ctx, 400, "key_type must be 'anon' or 'service'", 'INVALID_INPUT')
      }
      keyType = req.keyType
    }
    const t = tenantUuid(g.tenant)
    if (t.kind === 'invalid') return panicReply()
    // No tenant: the nil UUID violates fk_auth_service_keys_tenant; a duplicate name the unique index.
    if (t.kind === 'none' || app.store.nameTaken(t.id, req.name)) {
      return errorReply(ctx, 500, 'Failed to create service key', 'INTERNAL_ERROR')
    }
    const fields = blankKeyFields(t.id, req.name, keyType, app.clock.now())
    fields.description = req.description
    if (req.scopes !== null) fields.scopes = req.scopes // contents not validated; [] stays []
    fields.allowedNamespaces = req.allowedNamespaces
    fields.rateLimitPerMinute = req.rateLimitPerMinute
    fields.rateLimitPerHour = req.rateLimitPerHour
    fields.expiresAt = req.expiresAt?.ms ?? null // not checked for being in the future
    if (req.expiresAt) fields.expiresAtMicros = req.expiresAt.micros
    const { rec, key } = insertNewKey(app, fields, 'current')
    return jsonReply(201, createdKeyObject(rec, key, tf, req.expiresAt))
  }))

  // §4.4 update (PUT only; PATCH falls through to the catch-all 404)
  r.add('PUT', `${SK_BASE}/:id`, h((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const body = parseBody(ctx)
    if (!body.ok) return badBody(ctx)
    let req: ReturnType<typeof decodeUpdate>
    try {
      req = decodeUpdate(body.value, body.kind)
    } catch (e) {
      if (e instanceof DecodeError) return badBody(ctx)
      throw e
    }
    if (Object.values(req).every((v) => v === null)) return errorReply(ctx, 400, 'No fields to update', 'INVALID_INPUT')
    const failed = (): Reply => errorReply(ctx, 500, 'Failed to update service key', 'INTERNAL_ERROR')
    // [BUG] as shipped: the UPDATE also sets updated_at, a column auth.service_keys doesn't have,
    // so the statement always fails, before any row is looked at (an unknown id 500s too).
    if (!app.serverFixed) return failed()
    // The intended behaviour (serverFixed): UPDATE … WHERE id=$8, no tenant filter.
    const rec = app.store.getKey(id.id)
    if (!rec) return notFound(ctx)
    if (req.name !== null && req.name !== rec.name && app.store.nameTaken(rec.tenantId, req.name)) return failed()
    // COALESCE: null keeps the old value; nothing can be cleared to NULL.
    if (req.name !== null) app.store.rename(rec, req.name)
    if (req.description !== null) rec.description = req.description
    if (req.scopes !== null) rec.scopes = req.scopes
    if (req.allowedNamespaces !== null) rec.allowedNamespaces = req.allowedNamespaces
    if (req.enabled !== null) rec.enabled = req.enabled
    if (req.rateLimitPerMinute !== null) rec.rateLimitPerMinute = req.rateLimitPerMinute
    if (req.rateLimitPerHour !== null) rec.rateLimitPerHour = req.rateLimitPerHour
    app.store.changed(rec)
    // The response is re-read through the Get handler, which DOES apply the tenant filter.
    const f = findFiltered(ctx, g.tenant, id.id)
    return f.ok ? rawJsonReply(200, keyJson(f.rec, 'current', tf)) : f.reply
  }))

  // §4.5 delete
  r.add('DELETE', `${SK_BASE}/:id`, h((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const f = findFiltered(ctx, g.tenant, id.id)
    if (!f.ok) return f.reply
    app.store.deleteKey(f.rec)
    return noContent()
  }))

  // §4.6 disable / enable: body ignored; enable does not clear revoked_at.
  for (const [action, enabled] of [['disable', false], ['enable', true]] as const) {
    r.add('POST', `${SK_BASE}/:id/${action}`, h((ctx, g) => {
      const id = parseId(app, ctx)
      if (!id.ok) return id.reply
      const f = findFiltered(ctx, g.tenant, id.id)
      if (!f.ok) return f.reply
      f.rec.enabled = enabled
      app.store.changed(f.rec)
      return noContent()
    }))
  }

  // §4.7 revoke: reason only from query/form (a JSON body is ignored), no tenant filter,
  // revoking again overwrites, nothing written to the audit table.
  r.add('POST', `${SK_BASE}/:id/revoke`, h((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const reason = formValue(ctx, 'reason')
    const rec = app.store.getKey(id.id)
    if (!rec) return notFound(ctx)
    // revoked_by has an FK to platform.users: callers that aren't dashboard users fail (§4.7).
    const user = app.auth.platformUser(g.principal)
    if (!user) return errorReply(ctx, 500, 'Failed to revoke service key', 'INTERNAL_ERROR')
    rec.revokedAt = app.clock.now()
    rec.revokedBy = user.id
    rec.revocationReason = reason
    rec.enabled = false
    app.store.changed(rec)
    return noContent()
  }))

  // §4.8 deprecate: grace_period_hours only from query/form; default 24; no bounds; reason unread.
  r.add('POST', `${SK_BASE}/:id/deprecate`, h((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const raw = formValue(ctx, 'grace_period_hours')
    const hours = raw === '' ? 24 : (scanInt(raw) ?? 24)
    const rec = app.store.getKey(id.id)
    if (!rec) return notFound(ctx)
    const now = app.clock.now()
    rec.deprecatedAt = now
    rec.gracePeriodEndsAt = now + hours * HOUR_MS
    app.store.changed(rec)
    const nanos = nanoSuffix() // Go time.Now() values (fiber.Map: keys sorted)
    return jsonReply(200, { deprecated_at: tf.goNow(now, nanos), grace_period_ends_at: tf.goNow(rec.gracePeriodEndsAt, nanos) })
  }))

  // §4.9 rotate: body ignored; source read with no tenant filter; the new key goes to the
  // REQUEST's tenant; the old key gets deprecated_at + replaced_by but no grace end.
  r.add('POST', `${SK_BASE}/:id/rotate`, h((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const src = app.store.getKey(id.id)
    if (!src) return notFound(ctx)
    const t = tenantUuid(g.tenant)
    if (t.kind === 'invalid') return panicReply()
    const name = `${src.name} (rotated)`
    if (t.kind === 'none' || app.store.nameTaken(t.id, name)) {
      return errorReply(ctx, 500, 'Failed to create rotated key', 'INTERNAL_ERROR')
    }
    const now = app.clock.now()
    const fields = blankKeyFields(t.id, name, src.keyType, now)
    fields.description = src.description
    fields.scopes = [...src.scopes]
    fields.allowedNamespaces = src.allowedNamespaces ? [...src.allowedNamespaces] : null
    fields.rateLimitPerMinute = src.rateLimitPerMinute
    fields.rateLimitPerHour = src.rateLimitPerHour
    fields.expiresAt = src.expiresAt
    if (src.expiresAtMicros !== undefined) fields.expiresAtMicros = src.expiresAtMicros
    const { rec, key } = insertNewKey(app, fields, 'current')
    src.deprecatedAt = now
    app.store.setReplacedBy(src, rec.id)
    return jsonReply(201, createdKeyObject(rec, key, tf))
  }))

  // §4.10 revocations: one object from the key row, nulls NOT omitted (fiber.Map), no tenant filter.
  r.add('GET', `${SK_BASE}/:id/revocations`, h((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const rec = app.store.getKey(id.id)
    if (!rec) return notFound(ctx)
    return jsonReply(200, {
      id: rec.id,
      name: rec.name,
      revoked_at: rec.revokedAt === null ? null : tf.db(rec.revokedAt),
      revoked_by: rec.revokedBy,
      revocation_reason: rec.revocationReason
    })
  }))
}

function decodeCreate(o: BodyObject, kind: 'json' | 'form') {
  return {
    name: optString(o, 'name') ?? '',
    description: optString(o, 'description'),
    keyType: optString(o, 'key_type'),
    scopes: optStringArray(o, 'scopes'),
    allowedNamespaces: optStringArray(o, 'allowed_namespaces'),
    rateLimitPerMinute: optInt(o, 'rate_limit_per_minute', kind),
    rateLimitPerHour: optInt(o, 'rate_limit_per_hour', kind),
    expiresAt: optTime(o, 'expires_at')
  }
}

function decodeUpdate(o: BodyObject, kind: 'json' | 'form') {
  return {
    name: optString(o, 'name'),
    description: optString(o, 'description'),
    scopes: optStringArray(o, 'scopes'),
    allowedNamespaces: optStringArray(o, 'allowed_namespaces'),
    enabled: optBool(o, 'enabled', kind),
    rateLimitPerMinute: optInt(o, 'rate_limit_per_minute', kind),
    rateLimitPerHour: optInt(o, 'rate_limit_per_hour', kind)
  }
}

