// The older single-tenant server (fluxbase-eu), Appendix A: PATCH update, JSON bodies for
// revoke/deprecate/rotate, 409s, clamped grace periods, an audit table, mostly bare error bodies.
import { randomUUID } from 'node:crypto'
import type { App } from './app'
import { DecodeError, optBool, optInt, optString, optStringArray } from './decode'
import {
  bareError, errorReply, jsonReply, noContent, parseBody, rawJsonReply,
  type BodyObject, type Ctx, type Reply, type Router
} from './http'
import { isKnownScope } from './keys'
import { keyJson, keyListJson, keyObject, revocationObject } from './serialize'
import { blankKeyFields, guarded, insertNewKey, parseId, SK_BASE } from './service-keys-common'
import { nanoSuffix, parseClientTime } from './time-format'

const HOUR_MS = 3_600_000
/** `instance_admin` is added because the emulator's logins issue that role (see report). */
const BASIC_ROLES = ['admin', 'dashboard_admin', 'service_role', 'instance_admin'] as const
const LIFECYCLE_ROLES = ['admin', 'dashboard_admin', 'instance_admin'] as const

export function registerLegacyServiceKeys(r: Router, app: App): void {
  const basic = (fn: Parameters<typeof guarded>[2]) => guarded(app, BASIC_ROLES, fn, true)
  const lifecycle = (fn: Parameters<typeof guarded>[2]) => guarded(app, LIFECYCLE_ROLES, fn, true)
  const notFound = (): Reply => bareError(404, 'Service key not found')
  const badBody = (): Reply => bareError(400, 'Invalid request body')
  const tenantId = (): string => app.store.defaultTenant()?.id ?? ''
  const tf = app.time

  r.add('GET', SK_BASE, basic(() => rawJsonReply(200, keyListJson(app.store.listAllKeys(), 'legacy', tf))))

  r.add('GET', `${SK_BASE}/:id`, basic((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const rec = app.store.getKey(id.id)
    return rec ? rawJsonReply(200, keyJson(rec, 'legacy', tf)) : notFound()
  }))

  r.add('POST', SK_BASE, basic((ctx) => {
    const body = parseBody(ctx)
    if (!body.ok) return badBody()
    let name: string, description: string | null, scopes: string[] | null, rpm: number | null, rph: number | null
    try {
      name = optString(body.value, 'name') ?? ''
      description = optString(body.value, 'description')
      scopes = optStringArray(body.value, 'scopes')
      rpm = optInt(body.value, 'rate_limit_per_minute', body.kind)
      rph = optInt(body.value, 'rate_limit_per_hour', body.kind)
      optString(body.value, 'expires_at')
    } catch (e) {
      if (e instanceof DecodeError) return badBody()
      throw e
    }
    if (name === '') return bareError(400, 'Name is required')
    const finalScopes = scopes ?? ['*']
    const invalid = validateScopes(finalScopes)
    if (invalid) return bareError(400, `Invalid scopes: ${invalid}`)
    if (app.store.nameTaken(tenantId(), name)) return bareError(500, 'Failed to create service key')
    const fields = blankKeyFields(tenantId(), name, 'service', app.clock.now())
    fields.description = description
    fields.scopes = finalScopes
    fields.rateLimitPerMinute = rpm
    fields.rateLimitPerHour = rph
    const expires = body.value.expires_at
    if (typeof expires === 'string') {
      const t = parseClientTime(expires)
      if (!t) return badBody()
      fields.expiresAt = t.ms
      fields.expiresAtMicros = t.micros
    }
    const { rec, key } = insertNewKey(app, fields, 'legacy')
    // Re-read from the DB: DB timestamps, and the legacy field set.
    return jsonReply(201, { ...keyObject(rec, 'legacy', tf), key })
  }))

  r.add('PATCH', `${SK_BASE}/:id`, basic((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const body = parseBody(ctx)
    if (!body.ok) return badBody()
    let req: Record<string, string | string[] | number | boolean | null>
    try {
      const o = body.value
      req = {
        name: optString(o, 'name'),
        description: optString(o, 'description'),
        scopes: optStringArray(o, 'scopes'),
        enabled: optBool(o, 'enabled', body.kind),
        rpm: optInt(o, 'rate_limit_per_minute', body.kind),
        rph: optInt(o, 'rate_limit_per_hour', body.kind)
      }
    } catch (e) {
      if (e instanceof DecodeError) return badBody()
      throw e
    }
    if (Object.values(req).every((v) => v === null)) return bareError(400, 'No fields to update')
    const rec = app.store.getKey(id.id)
    if (!rec) return notFound()
    if (typeof req.name === 'string' && req.name !== rec.name && app.store.nameTaken(rec.tenantId, req.name)) {
      return bareError(500, 'Failed to update service key')
    }
    if (typeof req.name === 'string') app.store.rename(rec, req.name)
    if (typeof req.description === 'string') rec.description = req.description
    if (Array.isArray(req.scopes)) rec.scopes = req.scopes
    if (typeof req.enabled === 'boolean') rec.enabled = req.enabled
    if (typeof req.rpm === 'number') rec.rateLimitPerMinute = req.rpm
    if (typeof req.rph === 'number') rec.rateLimitPerHour = req.rph
    app.store.changed(rec)
    return jsonReply(200, { success: true, message: 'Service key updated successfully' })
  }))

  r.add('DELETE', `${SK_BASE}/:id`, basic((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const rec = app.store.getKey(id.id)
    if (!rec) return notFound()
    app.store.deleteKey(rec)
    return noContent()
  }))

  for (const [action, enabled] of [['disable', false], ['enable', true]] as const) {
    r.add('POST', `${SK_BASE}/:id/${action}`, basic((ctx) => {
      const id = parseId(app, ctx)
      if (!id.ok) return id.reply
      const rec = app.store.getKey(id.id)
      if (!rec) return notFound()
      rec.enabled = enabled
      app.store.changed(rec)
      return jsonReply(200, { success: true, message: `Service key ${action}d successfully` })
    }))
  }

  r.add('POST', `${SK_BASE}/:id/revoke`, lifecycle((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const body = parseBody(ctx)
    if (!body.ok) return badBody()
    const reason = typeof body.value.reason === 'string' ? body.value.reason : ''
    if (reason === '') return errorReply(ctx, 400, 'reason is required', 'MISSING_REQUIRED_FIELD')
    if (!g.principal.userId) return bareError(401, 'Unauthorized')
    const rec = app.store.getKey(id.id)
    if (!rec || rec.revokedAt !== null) {
      return errorReply(ctx, 409, 'Service key not found or already revoked', 'ALREADY_EXISTS')
    }
    const now = app.clock.now()
    rec.revokedAt = now
    rec.revokedBy = g.principal.userId
    rec.revocationReason = reason
    rec.enabled = false
    app.store.changed(rec)
    app.store.addRevocation({
      id: randomUUID(), keyId: rec.id, keyPrefix: rec.keyPrefix, revokedBy: g.principal.userId,
      reason, revocationType: 'emergency', createdAt: now
    })
    return jsonReply(200, { success: true, message: 'Service key revoked successfully', key_id: rec.id })
  }))

  r.add('POST', `${SK_BASE}/:id/deprecate`, lifecycle((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const body = optionalJson(ctx)
    if (!body) return badBody()
    let hours: number
    try {
      optString(body, 'reason')
      hours = clampHours(optInt(body, 'grace_period_hours', 'json'))
    } catch (e) {
      if (e instanceof DecodeError) return badBody()
      throw e
    }
    const rec = app.store.getKey(id.id)
    if (!rec || rec.deprecatedAt !== null || rec.revokedAt !== null) {
      return errorReply(ctx, 409, 'Service key not found, already deprecated, or revoked', 'CONFLICT')
    }
    const now = app.clock.now()
    rec.deprecatedAt = now
    rec.gracePeriodEndsAt = now + hours * HOUR_MS
    app.store.changed(rec)
    return jsonReply(200, {
      success: true,
      message: 'Service key deprecated for rotation',
      key_id: rec.id,
      grace_period_ends: tf.goNow(rec.gracePeriodEndsAt),
      grace_period_hours: hours
    })
  }))

  r.add('POST', `${SK_BASE}/:id/rotate`, lifecycle((ctx, g) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const body = optionalJson(ctx)
    if (!body) return badBody()
    let hours: number, newName: string | null, newScopes: string[] | null
    try {
      hours = clampHours(optInt(body, 'grace_period_hours', 'json'))
      newName = optString(body, 'new_key_name')
      newScopes = optStringArray(body, 'new_scopes')
    } catch (e) {
      if (e instanceof DecodeError) return badBody()
      throw e
    }
    if (newScopes !== null) {
      const invalid = validateScopes(newScopes)
      if (invalid) return bareError(400, `Invalid scopes: ${invalid}`)
    }
    const src = app.store.getKey(id.id)
    if (!src || src.revokedAt !== null) return notFound()
    const name = newName || `${src.name} (rotated)`
    if (app.store.nameTaken(src.tenantId, name)) return bareError(500, 'Failed to create rotated key')
    const now = app.clock.now()
    const fields = blankKeyFields(src.tenantId, name, 'service', now)
    fields.description = src.description
    fields.scopes = newScopes ?? [...src.scopes]
    fields.rateLimitPerMinute = src.rateLimitPerMinute
    fields.rateLimitPerHour = src.rateLimitPerHour
    fields.expiresAt = src.expiresAt
    fields.createdBy = g.principal.userId
    const { rec, key } = insertNewKey(app, fields, 'legacyRotated')
    src.deprecatedAt = now
    src.gracePeriodEndsAt = now + hours * HOUR_MS
    app.store.setReplacedBy(src, rec.id)
    if (g.principal.userId) {
      app.store.addRevocation({
        id: randomUUID(), keyId: src.id, keyPrefix: src.keyPrefix, revokedBy: g.principal.userId,
        reason: `Rotated to ${rec.keyPrefix}`, revocationType: 'rotation', createdAt: now
      })
    }
    const nanos = nanoSuffix()
    return jsonReply(201, {
      success: true,
      message: 'Service key rotated successfully',
      old_key_id: src.id,
      grace_period_ends: tf.goNow(src.gracePeriodEndsAt, nanos),
      new_key: { ...keyObject(rec, 'legacy', tf), key }
    })
  }))

  // An ARRAY of audit rows, newest first, read from auth.service_key_revocations only.
  r.add('GET', `${SK_BASE}/:id/revocations`, lifecycle((ctx) => {
    const id = parseId(app, ctx)
    if (!id.ok) return id.reply
    const rows = [...app.store.revocationsFor(id.id)].sort((a, b) => b.createdAt - a.createdAt)
    return jsonReply(200, rows.map((r) => revocationObject(r, tf)))
  }))
}

/** Hours ≤ 0 (or absent) become 24; capped at 720 (Appendix A). */
function clampHours(h: number | null): number {
  if (h === null || h <= 0) return 24
  return Math.min(h, 720)
}

/** An absent body counts as `{}` for deprecate/rotate (every field is optional). */
function optionalJson(ctx: Ctx): BodyObject | undefined {
  if (ctx.rawBody.toString('utf8').trim() === '') return {}
  const b = parseBody(ctx)
  return b.ok ? b.value : undefined
}

/** auth.ValidateScopes: at least one, each known. Returns the problem, or undefined. */
function validateScopes(scopes: readonly string[]): string | undefined {
  if (scopes.length === 0) return 'at least one scope is required'
  const bad = scopes.find((s) => !isKnownScope(s))
  return bad === undefined ? undefined : `unknown scope '${bad}'`
}
