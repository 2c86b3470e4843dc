// Onboarding and removal of Fluxbase instances: test a connection, discover tenants,
// keep the credential in the keychain and the non-secret profile in the cache.
import { randomUUID } from 'node:crypto'
import type { Instance, InstanceProfile, Tenant } from '../../shared/domain'
import { FluxbaseClient, type AdminCredential, type ApiTenant } from '../fluxbase'
import type { Cache } from '../cache'
import { removeInstanceSecrets, type SecretStore } from '../secrets'
import { AppError } from '../app/errors'
import type { Log } from '../app/logger'
import type { ClientPool } from './clients'
import { instancesInKeychain, loadCredential, saveCredential } from './credentials'
import { checkTransport, transportOf, type Transport, type TransportInput } from './transport'
import { checkUpdateSupport } from './update-support'

/** The part of the cache that holds instances and their tenants. */
export type InstanceStore = Pick<
  Cache,
  'getInstance' | 'listInstances' | 'upsertInstance' | 'removeInstance' | 'upsertTenants' | 'listTenants' | 'setTenantSelected' | 'setUpdateSupport'
>


export type AuthInput = { kind: 'password'; email: string; password: string } | { kind: 'token'; token: string }

export interface InstanceDeps {
  cache: InstanceStore
  secrets: SecretStore
  clients: Pick<ClientPool, 'get' | 'forget'>
  now: () => number
  timeoutMs: () => number
  log: Log
}

function toCredential(auth: AuthInput): AdminCredential {
  return auth.kind === 'password'
    ? { kind: 'password', email: auth.email.trim(), password: auth.password }
    : { kind: 'token', accessToken: auth.token.trim() }
}

/** The role claim of a JWT, read without verifying (the server verifies; this is for display). */
function roleOf(accessToken: string): string {
  const payload = accessToken.split('.')[1]
  if (!payload) return 'unknown'
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { role?: unknown }
    return typeof claims.role === 'string' ? claims.role : 'unknown'
  } catch {
    return 'unknown'
  }
}

function normaliseBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new AppError('invalid_input', 'That is not a valid URL. Use the address of your Fluxbase server, e.g. https://fluxbase.example.com.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('invalid_input', 'The server address must start with https:// (or http:// for a server on this computer).')
  }
  return url.toString().replace(/\/+$/, '')
}


async function discover(
  deps: InstanceDeps,
  baseUrl: string,
  credential: AdminCredential,
  transport: Transport
): Promise<{ tenants: ApiTenant[]; role: string; client: FluxbaseClient }> {
  const client = new FluxbaseClient({
    baseUrl, credential, now: deps.now, timeoutMs: deps.timeoutMs(),
    allowInsecureTransport: transport.insecureTransport, caPem: transport.caPem
  })
  const session = await client.login()
  const tenants = await client.listTenants()
  return { tenants, role: roleOf(session.accessToken), client }
}

export async function testConnection(deps: InstanceDeps, input: { baseUrl: string; auth: AuthInput } & TransportInput) {
  const baseUrl = normaliseBaseUrl(input.baseUrl)
  const { tenants, role } = await discover(deps, baseUrl, toCredential(input.auth), checkTransport(baseUrl, input))
  return { tenants: tenants.map(({ id, slug, name, isDefault }) => ({ id, slug, name, isDefault })), role }
}

export async function addInstance(
  deps: InstanceDeps,
  input: { baseUrl: string; auth: AuthInput; label?: string; tenantIds?: string[] } & TransportInput
): Promise<{ instance: Instance; tenants: Tenant[] }> {
  const baseUrl = normaliseBaseUrl(input.baseUrl)
  const credential = toCredential(input.auth)
  const transport = checkTransport(baseUrl, input)
  const { tenants, client } = await discover(deps, baseUrl, credential, transport)
  const profile: InstanceProfile = {
    id: randomUUID(),
    label: input.label?.trim() || new URL(baseUrl).host,
    baseUrl,
    authKind: credential.kind,
    email: credential.kind === 'password' ? credential.email : null,
    addedAt: new Date(deps.now()).toISOString(),
    insecureTransport: transport.insecureTransport,
    caBundle: transport.caBundle
  }
  // Keychain first: if it is unavailable, nothing half-configured is left behind.
  await saveCredential(deps.secrets, profile, credential)
  deps.cache.upsertInstance(profile)
  deps.cache.upsertTenants(profile.id, tenants.map(({ id, slug, name, isDefault }) => ({ id, slug, name, isDefault })))
  const chosen = new Set(input.tenantIds ?? tenants.map((t) => t.id))
  for (const tenant of tenants) deps.cache.setTenantSelected(profile.id, tenant.id, chosen.has(tenant.id))
  // Whether Edit can work on this server is known before the operator first tries it.
  await checkUpdateSupport(deps, profile.id, client)
  const instance = deps.cache.getInstance(profile.id)
  if (!instance) throw new AppError('not_found', 'The instance was removed while it was being added.')
  return { instance, tenants: deps.cache.listTenants(profile.id) }
}

export async function updateCredential(deps: InstanceDeps, instanceId: string, auth: AuthInput): Promise<void> {
  const instance = deps.cache.getInstance(instanceId)
  if (!instance) throw new AppError('not_found', 'That Fluxbase instance is no longer configured.')
  const credential = toCredential(auth)
  await discover(deps, instance.baseUrl, credential, transportOf(instance))
  const updated: InstanceProfile = { ...instance, authKind: credential.kind, email: credential.kind === 'password' ? credential.email : null }
  await saveCredential(deps.secrets, updated, credential)
  deps.cache.upsertInstance(updated)
  deps.clients.forget(instanceId)
}


/** Changes how an instance is reached; its server is asked again with the new choice before it is kept. */
export async function setTransport(
  deps: InstanceDeps,
  instanceId: string,
  input: { insecureTransport?: boolean; caBundlePath?: string | null }
): Promise<Instance> {
  const instance = deps.cache.getInstance(instanceId)
  if (!instance) throw new AppError('not_found', 'That Fluxbase instance is no longer configured.')
  const caBundlePath = input.caBundlePath === undefined ? instance.caBundle?.path : (input.caBundlePath ?? undefined)
  const transport = checkTransport(instance.baseUrl, { insecureTransport: input.insecureTransport ?? instance.insecureTransport, caBundlePath })
  const credential = await loadCredential(deps.secrets, instanceId)
  await discover(deps, instance.baseUrl, credential, transport)
  const updated: InstanceProfile = { ...instance, insecureTransport: transport.insecureTransport, caBundle: transport.caBundle }
  await saveCredential(deps.secrets, updated, credential)
  deps.cache.upsertInstance(updated)
  deps.clients.forget(instanceId)
  return deps.cache.getInstance(instanceId) ?? instance
}

export async function rediscoverTenants(deps: InstanceDeps, instanceId: string): Promise<Tenant[]> {
  const client = await deps.clients.get(instanceId)
  const tenants = await client.listTenants()
  deps.cache.upsertTenants(instanceId, tenants.map(({ id, slug, name, isDefault }) => ({ id, slug, name, isDefault })))
  return deps.cache.listTenants(instanceId)
}

/**
 * Signs out of the server (when a session is open), then removes the profile, its cached
 * inventory and every keychain entry it owns. A server that cannot be reached does not stop
 * the removal: the session then ends on its own (access tokens live 24 h).
 */
export async function removeInstance(deps: InstanceDeps, instanceId: string): Promise<number> {
  try {
    const client = await deps.clients.get(instanceId)
    await client.logout()
  } catch (error) {
    deps.log(`instance ${instanceId}: sign-out before removal failed (${error instanceof Error ? error.message : String(error)}); removing anyway`)
  }
  const removed = await removeInstanceSecrets(deps.secrets, instanceId)
  deps.cache.removeInstance(instanceId)
  deps.clients.forget(instanceId)
  return removed
}

/**
 * Instances whose credentials are in the keychain but not in the cache (the cache was
 * corrupt and rebuilt, or deleted): restore them and rediscover their tenants when the
 * server answers. Returns how many were restored.
 */
export async function restoreInstancesFromKeychain(
  deps: InstanceDeps & { cache: Pick<Cache, 'setAutoFinishRotation'> },
  log: (line: string) => void,
  /** The operator's kept choices for a tenant (the safety file); absent: synced, not automatic. */
  choiceOf: (instanceId: string, tenantId: string) => { selected: boolean; autoFinishRotation: boolean } | null = () => null
): Promise<number> {
  const known = new Set(deps.cache.listInstances().map((i) => i.id))
  let restored = 0
  for (const instance of await instancesInKeychain(deps.secrets)) {
    if (known.has(instance.id)) continue
    deps.cache.upsertInstance(instance)
    restored++
    try {
      const tenants = await rediscoverTenants(deps, instance.id)
      for (const t of tenants) {
        const choice = choiceOf(instance.id, t.id)
        deps.cache.setTenantSelected(instance.id, t.id, choice?.selected ?? true)
        if (choice?.autoFinishRotation) deps.cache.setAutoFinishRotation(instance.id, t.id, true)
      }
    } catch {
      log(`restore ${instance.id}: tenants will be rediscovered when the server answers`)
    }
  }
  return restored
}
