// Key lifecycle actions. Each one is written to the action log first (intent), performed
// against the server, then the cache is refreshed from the server's own answer. Mutations
// are never retried blindly (the client only retries the cases that are provably safe).
import type { KeyMeta, KeyRef } from '../../shared/domain'
import type { HistoryEntry } from '../../shared/contract'
import type { Cache } from '../cache'
import { FluxbaseError, type CreateKeyInput, type FluxbaseClient, type UpdateKeyInput } from '../fluxbase'
import { accounts, type SecretStore } from '../secrets'
import { AppError, isUnreachable, toApiError } from '../app/errors'
import type { Clients } from '../instances/clients'
import type { Log } from '../app/logger'
import { learnUpdateSupport, type SupportStore } from '../instances/update-support'
import { handOffIssuedValue, type HandOff } from './handoff'

const HOUR = 3_600_000
const ISSUES_KEYS = new Set(['create', 'rotate', 'replace'])

/** No definite answer arrived: the request may or may not have been carried out. */
function answerMayBeLost(error: unknown): boolean {
  return isUnreachable(error) || (error instanceof FluxbaseError && error.kind === 'invalid_response')
}

/** The part of the cache lifecycle actions read and write: keys and the action log. */
export type KeyStore = Pick<Cache, 'getKey' | 'upsertKey' | 'patchLocal' | 'removeKey' | 'appendAction' | 'completeAction' | 'listActions' | 'queryInventory'> & SupportStore

export interface LifecycleDeps {
  cache: KeyStore
  secrets: SecretStore
  clients: Clients
  now: () => number
  log: Log
  /** Ids of create/rotate intents whose answer has not arrived yet (see orphans.ts). */
  inFlight: Set<number>
}

export interface Issued {
  key: KeyMeta
  handOff: HandOff
}

const iso = (ms: number) => new Date(ms).toISOString()

export function requireKey(cache: Pick<Cache, 'getKey'>, ref: KeyRef): KeyMeta {
  const key = cache.getKey(ref)
  if (!key) throw new AppError('not_found', 'That key is not in the cache any more. Re-sync the tenant and try again.')
  return key
}

/**
 * Runs one logged action: intent first, then the outcome. A failure whose answer never
 * arrived (network cut, timeout) leaves the intent pending: nobody knows whether the server
 * acted, and the next sync decides (see orphans.ts).
 */
async function logged<T>(
  deps: LifecycleDeps,
  base: { instanceId: string; tenantId: string; keyId: string | null; action: string; detail: Record<string, unknown> },
  run: (actionId: number) => Promise<{ result: T; keyId?: string; detail?: Record<string, unknown> }>
): Promise<T> {
  const id = deps.cache.appendAction({ ...base, at: iso(deps.now()), outcome: 'pending', error: null })
  deps.inFlight.add(id)
  try {
    const { result, keyId, detail } = await run(id)
    deps.cache.completeAction(id, 'ok', { keyId, detail })
    deps.log(`${base.action} ${base.instanceId}/${base.tenantId}/${keyId ?? base.keyId ?? '-'}: ok`)
    return result
  } catch (error) {
    const message = toApiError(error).message
    deps.log(`${base.action} ${base.instanceId}/${base.tenantId}/${base.keyId ?? '-'}: failed: ${message}`)
    if (ISSUES_KEYS.has(base.action) && answerMayBeLost(error)) {
      // Leave the intent pending: the next sync decides whether a key exists that nobody saw.
      throw new AppError('offline', `${message} The server may have issued the key anyway; the next sync will find it and flag it for revocation.`, false)
    }
    deps.cache.completeAction(id, 'failed', { error: message })
    throw error
  } finally {
    deps.inFlight.delete(id)
  }
}

async function refreshFromServer(deps: LifecycleDeps, client: FluxbaseClient, ref: KeyRef): Promise<KeyMeta> {
  const fresh = await client.getKey(ref.tenantId, ref.keyId)
  deps.cache.upsertKey(ref.instanceId, ref.tenantId, fresh, iso(deps.now()))
  return requireKey(deps.cache, ref)
}

export async function createKey(deps: LifecycleDeps, instanceId: string, tenantId: string, input: CreateKeyInput): Promise<Issued> {
  const client = await deps.clients.get(instanceId)
  return logged(deps, { instanceId, tenantId, keyId: null, action: 'create', detail: { expectedName: input.name, keyType: input.keyType ?? 'service' } }, async () => {
    const issued = await client.createKey(tenantId, input)
    const ref = { instanceId, tenantId, keyId: issued.key.id }
    const handOff = await handOffIssuedValue(deps.secrets, ref, issued.value)
    deps.cache.upsertKey(instanceId, tenantId, issued.key, iso(deps.now()), { hasStoredValue: handOff.storedInKeychain })
    return { result: { key: requireKey(deps.cache, ref), handOff }, keyId: issued.key.id, detail: { name: issued.key.name, storedInKeychain: handOff.storedInKeychain } }
  })
}

/**
 * Rotate with a grace period: rotate, store the new value, then deprecate the old key with
 * the chosen hours, because the current server's rotate sets no grace end. The grace end is
 * also recorded locally, so it exists even if the deprecate step fails.
 */
export interface Replacement {
  issued: Issued
  oldKey: KeyMeta
  /** The new key exists and is stored, but the old key's deprecation did not reach the server. */
  deprecateError: string | null
}

export async function rotateKey(deps: LifecycleDeps, ref: KeyRef, graceHours: number, newName?: string): Promise<Replacement> {
  const old = requireKey(deps.cache, ref)
  const client = await deps.clients.get(ref.instanceId)
  const expectedName = newName ?? `${old.name} (rotated)`
  return logged(deps, { ...refFields(ref), action: 'rotate', detail: { name: old.name, expectedName, graceHours } }, async () => {
    const { issued, oldKeyGracePeriodEndsAt } = await client.rotateKey(ref.tenantId, ref.keyId, { graceHours, newName })
    const newRef = { instanceId: ref.instanceId, tenantId: ref.tenantId, keyId: issued.key.id }
    const handOff = await handOffIssuedValue(deps.secrets, newRef, issued.value)
    deps.cache.upsertKey(ref.instanceId, ref.tenantId, issued.key, iso(deps.now()), { hasStoredValue: handOff.storedInKeychain })
    const localGraceEndsAt = iso(deps.now() + graceHours * HOUR)
    deps.cache.patchLocal(ref, { localGraceEndsAt })
    let deprecateError: string | null = null
    try {
      // The legacy server's rotate already set the grace end; the current one sets none.
      if (oldKeyGracePeriodEndsAt === null) {
        await client.deprecateKey(ref.tenantId, ref.keyId, { graceHours, reason: `Rotated to ${issued.key.keyPrefix}` })
      }
      await refreshFromServer(deps, client, ref)
    } catch (error) {
      // The new key exists and is stored: report the partial step instead of failing the rotation.
      deprecateError = toApiError(error).message
      deps.log(`rotate ${ref.keyId}: deprecate step failed: ${deprecateError}`)
    }
    const oldKey = requireKey(deps.cache, ref)
    return {
      result: { issued: { key: requireKey(deps.cache, newRef), handOff }, oldKey, deprecateError },
      detail: { name: old.name, newKeyId: issued.key.id, newName: issued.key.name, graceHours, graceEndsAt: localGraceEndsAt, deprecateError, storedInKeychain: handOff.storedInKeychain }
    }
  })
}

function refFields(ref: KeyRef) {
  return { instanceId: ref.instanceId, tenantId: ref.tenantId, keyId: ref.keyId }
}

/** A simple action: call the server, then re-read the key so the cache holds the server's truth. */
async function simpleAction(
  deps: LifecycleDeps,
  ref: KeyRef,
  action: string,
  detail: Record<string, unknown>,
  call: (client: FluxbaseClient) => Promise<void>,
  afterCall?: () => void
): Promise<KeyMeta> {
  const key = requireKey(deps.cache, ref)
  const client = await deps.clients.get(ref.instanceId)
  return logged(deps, { ...refFields(ref), action, detail: { name: key.name, ...detail } }, async () => {
    await call(client)
    afterCall?.()
    return { result: await refreshFromServer(deps, client, ref) }
  })
}

export function updateKey(deps: LifecycleDeps, ref: KeyRef, input: UpdateKeyInput): Promise<KeyMeta> {
  const changed = Object.keys(input).filter((k) => input[k as keyof UpdateKeyInput] !== undefined)
  if (changed.length === 0) throw new AppError('invalid_input', 'Nothing to update: change at least one field.')
  const instance = deps.cache.getInstance(ref.instanceId)
  if (instance?.updateSupport === 'unsupported') {
    throw new AppError('unsupported', UPDATE_UNSUPPORTED)
  }
  return simpleAction(deps, ref, 'update', { fields: changed }, async (client) => {
    try {
      await client.updateKey(ref.tenantId, ref.keyId, input)
    } catch (error) {
      if (error instanceof FluxbaseError && error.knownDefect === 'update_fails') {
        learnUpdateSupport(deps.cache, ref.instanceId, 'unsupported', deps.now())
        throw new AppError('unsupported', UPDATE_UNSUPPORTED)
      }
      throw error
    }
    learnUpdateSupport(deps.cache, ref.instanceId, 'supported', deps.now())
  })
}

const UPDATE_UNSUPPORTED =
  'This Fluxbase server cannot change a key in place (a known defect of current versions makes every update fail). ' +
  'Replace it with a new key that has the new settings instead; the old one keeps working for the grace period you choose.'

export type NamespaceChoice = { kind: 'all' } | { kind: 'default' } | { kind: 'list'; names: string[] }

/**
 * The replacement's namespaces (undefined = every one, [] = the default one only, as the server
 * reads allowed_namespaces). A listed set is copied. The server answers an empty list and none
 * alike (it omits both, reference §5.1), so for those the operator must say which: guessing
 * "every namespace" could widen what the new key may reach.
 */
function namespacesFor(old: Pick<KeyMeta, 'name' | 'allowedNamespaces'>, choice: NamespaceChoice | undefined): string[] | undefined {
  if (choice) return choice.kind === 'all' ? undefined : choice.kind === 'default' ? [] : choice.names
  if (old.allowedNamespaces && old.allowedNamespaces.length > 0) return old.allowedNamespaces
  throw new AppError('invalid_input',
    `The server does not say whether "${old.name}" may use every namespace or only the default one; choose the new key's namespaces.`)
}

/** The API creates these two types only; a key of another type cannot be re-created. */
const CREATABLE = new Set(['service', 'anon'])

/**
 * "Replace with a new key", for servers that cannot update one: create a key with the edited
 * settings (its value straight into the keychain), deprecate the old one with the chosen grace
 * period, and record the pair like a rotation (the old key's localReplacedBy), so the
 * countdown, warnings and finish-rotation follow exactly as after rotate.
 */
export async function replaceKey(
  deps: LifecycleDeps,
  ref: KeyRef,
  input: Omit<UpdateKeyInput, 'name' | 'enabled' | 'allowedNamespaces'> & { name: string; namespaces?: NamespaceChoice },
  graceHours: number
): Promise<Replacement> {
  const old = requireKey(deps.cache, ref)
  const allowedNamespaces = namespacesFor(old, input.namespaces)
  if (old.revokedAt) throw new AppError('conflict', `"${old.name}" is revoked: create a new key instead of replacing it.`)
  if (!CREATABLE.has(old.keyType)) throw new AppError('unsupported', `A key of type "${old.keyType}" cannot be created through the admin API, so it cannot be replaced here.`)
  const name = input.name.trim()
  const taken = deps.cache.queryInventory({ instanceId: ref.instanceId, tenantIds: [ref.tenantId], text: name, limit: 1000 }, deps.now())
    .rows.some((k) => k.name === name)
  if (taken) throw new AppError('invalid_input', `A key named "${name}" already exists in this tenant, and names must be unique there: choose another name (for example "${old.name} v2").`)
  const client = await deps.clients.get(ref.instanceId)
  return logged(deps, { ...refFields(ref), action: 'replace', detail: { name: old.name, expectedName: name, graceHours } }, async () => {
    const issued = await client.createKey(ref.tenantId, {
      name,
      description: input.description ?? old.description ?? undefined,
      keyType: old.keyType as 'service' | 'anon',
      scopes: input.scopes ?? old.scopes,
      allowedNamespaces,
      rateLimitPerMinute: input.rateLimitPerMinute ?? old.rateLimitPerMinute ?? undefined,
      rateLimitPerHour: input.rateLimitPerHour ?? old.rateLimitPerHour ?? undefined,
      expiresAt: old.expiresAt ?? undefined
    })
    const newRef = { instanceId: ref.instanceId, tenantId: ref.tenantId, keyId: issued.key.id }
    const handOff = await handOffIssuedValue(deps.secrets, newRef, issued.value)
    deps.cache.upsertKey(ref.instanceId, ref.tenantId, issued.key, iso(deps.now()), { hasStoredValue: handOff.storedInKeychain })
    const localGraceEndsAt = iso(deps.now() + graceHours * HOUR)
    deps.cache.patchLocal(ref, { localGraceEndsAt, localReplacedBy: issued.key.id })
    let deprecateError: string | null = null
    try {
      await client.deprecateKey(ref.tenantId, ref.keyId, { graceHours, reason: `Replaced by ${issued.key.keyPrefix}` })
      await refreshFromServer(deps, client, ref)
    } catch (error) {
      // The new key exists and is stored: report the partial step instead of failing.
      deprecateError = toApiError(error).message
      deps.log(`replace ${ref.keyId}: deprecate step failed: ${deprecateError}`)
    }
    return {
      result: { issued: { key: requireKey(deps.cache, newRef), handOff }, oldKey: requireKey(deps.cache, ref), deprecateError },
      keyId: ref.keyId,
      detail: { name: old.name, newKeyId: issued.key.id, newName: issued.key.name, graceHours, graceEndsAt: localGraceEndsAt, deprecateError, storedInKeychain: handOff.storedInKeychain }
    }
  })
}

export function disableKey(deps: LifecycleDeps, ref: KeyRef): Promise<KeyMeta> {
  return simpleAction(deps, ref, 'disable', {}, (client) => client.disableKey(ref.tenantId, ref.keyId))
}

export function enableKey(deps: LifecycleDeps, ref: KeyRef): Promise<KeyMeta> {
  const key = requireKey(deps.cache, ref)
  if (key.revokedAt) throw new AppError('conflict', 'A revoked key cannot be enabled again: the server would still reject it. Create a new key instead.')
  return simpleAction(deps, ref, 'enable', {}, (client) => client.enableKey(ref.tenantId, ref.keyId))
}

export function deprecateKey(deps: LifecycleDeps, ref: KeyRef, graceHours: number): Promise<KeyMeta> {
  const graceEndsAt = iso(deps.now() + graceHours * HOUR)
  return simpleAction(
    deps, ref, 'deprecate', { graceHours, graceEndsAt },
    async (client) => {
      await client.deprecateKey(ref.tenantId, ref.keyId, { graceHours })
    },
    () => deps.cache.patchLocal(ref, { localGraceEndsAt: graceEndsAt })
  )
}

export function revokeKey(deps: LifecycleDeps, ref: KeyRef, reason: string): Promise<KeyMeta> {
  // The current server may drop the reason (reference §8): it is recorded locally too.
  return simpleAction(
    deps, ref, 'revoke', { reason },
    (client) => client.revokeKey(ref.tenantId, ref.keyId, { reason }),
    () => deps.cache.patchLocal(ref, { revocationReason: reason })
  )
}

/** The old key still works on the current server after its grace end: disable or revoke it. */
export async function finishRotation(deps: LifecycleDeps, ref: KeyRef, mode: 'disable' | 'revoke'): Promise<KeyMeta> {
  const key = requireKey(deps.cache, ref)
  if (!key.deprecatedAt) throw new AppError('conflict', `"${key.name}" is not being rotated out (it is not deprecated).`)
  const reason = 'Rotation finished: grace period ended'
  const client = await deps.clients.get(ref.instanceId)
  return logged(deps, { ...refFields(ref), action: 'finish_rotation', detail: { name: key.name, mode } }, async () => {
    if (mode === 'revoke') {
      await client.revokeKey(ref.tenantId, ref.keyId, { reason })
      deps.cache.patchLocal(ref, { revocationReason: reason })
    } else {
      await client.disableKey(ref.tenantId, ref.keyId)
    }
    return { result: await refreshFromServer(deps, client, ref) }
  })
}

export async function deleteKey(deps: LifecycleDeps, ref: KeyRef, confirmName: string, force: boolean): Promise<void> {
  const key = requireKey(deps.cache, ref)
  if (confirmName !== key.name) throw new AppError('invalid_input', `Type the key's name exactly ("${key.name}") to confirm deletion.`)
  if (key.enabled && !key.revokedAt && !force) {
    throw new AppError('conflict', `"${key.name}" is still enabled: traffic using it would start failing. Disable it first, or confirm deleting an enabled key.`)
  }
  const client = await deps.clients.get(ref.instanceId)
  await logged(deps, { ...refFields(ref), action: 'delete', detail: { name: key.name, force } }, async () => {
    try {
      await client.deleteKey(ref.tenantId, ref.keyId)
    } catch (error) {
      // Already gone on the server: the goal is reached.
      if (!(error instanceof FluxbaseError && error.status === 404)) throw error
    }
    deps.cache.removeKey(ref)
    await deps.secrets.delete(accounts.keyValue(ref.instanceId, ref.tenantId, ref.keyId)).catch(() => false)
    return { result: undefined }
  })
}

export async function forgetStoredValue(deps: LifecycleDeps, ref: KeyRef): Promise<KeyMeta> {
  const key = requireKey(deps.cache, ref)
  await deps.secrets.delete(accounts.keyValue(ref.instanceId, ref.tenantId, ref.keyId))
  deps.cache.patchLocal(ref, { hasStoredValue: false })
  const id = deps.cache.appendAction({ ...refFields(ref), at: iso(deps.now()), action: 'forget_value', detail: { name: key.name }, outcome: 'pending', error: null })
  deps.cache.completeAction(id, 'ok')
  return requireKey(deps.cache, ref)
}

const ACTION_LABELS: Record<string, string> = {
  create: 'Created', update: 'Updated', disable: 'Disabled', enable: 'Enabled', deprecate: 'Deprecated',
  rotate: 'Rotated', replace: 'Replaced with a new key', finish_rotation: 'Finished rotation', revoke: 'Revoked', delete: 'Deleted', forget_value: 'Forgot stored value'
}

function describe(action: string, detail: Record<string, unknown>): string {
  const parts: string[] = []
  if (typeof detail.graceHours === 'number') parts.push(`grace ${detail.graceHours} h`)
  if (typeof detail.reason === 'string') parts.push(`reason: ${detail.reason}`)
  if (typeof detail.mode === 'string') parts.push(`old key ${detail.mode}d`)
  if (typeof detail.newName === 'string') parts.push(`new key "${detail.newName}"`)
  if (Array.isArray(detail.fields)) parts.push(`fields: ${detail.fields.join(', ')}`)
  if (typeof detail.deprecateError === 'string') parts.push(`deprecate step failed: ${detail.deprecateError}`)
  return [ACTION_LABELS[action] ?? action, ...parts].join(' · ')
}

/** Server revocation history merged with this app's action log, newest first. */
export async function keyHistory(deps: LifecycleDeps, ref: KeyRef): Promise<HistoryEntry[]> {
  const key = requireKey(deps.cache, ref)
  const entries: HistoryEntry[] = deps.cache.listActions({ ref, limit: 200 }).map((a) => ({
    at: a.at,
    source: 'local',
    action: a.action,
    outcome: a.outcome,
    detail: a.error ? `${describe(a.action, a.detail)} · ${a.error}` : describe(a.action, a.detail)
  }))
  entries.push({ at: key.createdAt, source: 'server', action: 'created', outcome: 'ok', detail: `Created on the server (${key.keyPrefix}…)` })
  try {
    const client = await deps.clients.get(ref.instanceId)
    for (const r of await client.revocationHistory(ref.tenantId, ref.keyId)) {
      if (!r.revokedAt) continue
      entries.push({ at: r.revokedAt, source: 'server', action: 'revoked', outcome: 'ok', detail: `Revoked on the server${r.reason ? ` · reason: ${r.reason}` : ' (no reason stored by the server)'}${r.type ? ` · ${r.type}` : ''}` })
    }
  } catch (error) {
    // Offline: the local history is still worth showing.
    deps.log(`history ${ref.keyId}: server part unavailable: ${toApiError(error).message}`)
  }
  if (key.deprecatedAt && !entries.some((e) => e.source === 'server' && e.action === 'deprecated')) {
    entries.push({ at: key.deprecatedAt, source: 'server', action: 'deprecated', outcome: 'ok', detail: `Deprecated on the server${key.gracePeriodEndsAt ? ` · grace ends ${key.gracePeriodEndsAt}` : ' · no grace end set by the server'}` })
  }
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
}
