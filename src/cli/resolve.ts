// Turning what an operator types (a key's name, prefix or id; a tenant's slug or name; an
// instance's label) into the ids the contract takes, through the same queries the app makes.
import type { KeyRow, TenantOverview } from '../shared/contract'
import type { Instance, KeyRef } from '../shared/domain'
import { isUuid } from '../shared/ids'
import { CliError, usageError } from './errors'
import { EXIT } from './exit-codes'
import type { Session } from './session'

const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0

const notFound = (message: string): CliError => new CliError('not_found', message, EXIT.failure)

/** An instance by id, label or URL; without text, the only one there is. */
export async function resolveInstance(s: Session, text: string | undefined): Promise<Instance> {
  const instances = await s.call('instances.list', {})
  if (text === undefined) {
    const [only, ...more] = instances
    if (!only) throw usageError('No Fluxbase instance is configured yet: add one with `fluxbase-keys instances add --url <address> --email <admin e-mail>`.')
    if (more.length > 0) throw usageError(`Several instances are configured (${instances.map((i) => i.label).join(', ')}): choose one with --instance.`)
    return only
  }
  const found = instances.filter((i) => i.id === text || same(i.label, text) || i.baseUrl === text.replace(/\/+$/, ''))
  if (found.length === 1 && found[0]) return found[0]
  if (found.length > 1) throw usageError(`"${text}" names several instances: use its id (${found.map((i) => i.id).join(', ')}).`)
  throw notFound(`No instance is called "${text}": list them with \`fluxbase-keys instances list\`.`)
}

/** Tenants by id, slug or name, within an instance when given. */
export async function resolveTenants(s: Session, texts: readonly string[], instanceId?: string): Promise<TenantOverview[]> {
  if (texts.length === 0) return []
  const tenants = (await s.call('tenants.list', {})).filter((t) => instanceId === undefined || t.instanceId === instanceId)
  return texts.map((text) => {
    const found = tenants.filter((t) => t.id === text.toLowerCase() || same(t.slug, text) || same(t.name, text))
    if (found.length === 1 && found[0]) return found[0]
    if (found.length > 1) throw usageError(`"${text}" names tenants on several instances (${found.map((t) => t.instanceLabel).join(', ')}): add --instance.`)
    throw notFound(`No tenant is called "${text}"${instanceId ? ' on that instance' : ''}: list them with \`fluxbase-keys tenants\`.`)
  })
}

export interface KeyScope {
  instance?: string
  tenant?: string[]
}

/**
 * One key, by `<instance>/<tenant>/<key>` ids (what --json prints), a key id, its prefix or its
 * exact name. A name used in several tenants asks for --tenant.
 */
export async function resolveKey(s: Session, text: string, scope: KeyScope = {}): Promise<KeyRow> {
  const instanceId = scope.instance === undefined ? undefined : (await resolveInstance(s, scope.instance)).id
  const tenants = await resolveTenants(s, scope.tenant ?? [], instanceId)
  const triple = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(text)
  if (triple && isUuid(triple[2] ?? '') && isUuid(triple[3] ?? '')) {
    return (await s.call('keys.get', { instanceId: triple[1] ?? '', tenantId: triple[2] ?? '', keyId: triple[3] ?? '' })).key
  }
  if (isUuid(text)) return keyById(s, text.toLowerCase(), instanceId, tenants)
  const matches: KeyRow[] = []
  for (let offset = 0; ; offset += 1000) {
    const page = await s.call('inventory.query', {
      text, limit: 1000, offset, count: 'capped',
      ...(instanceId ? { instanceId } : {}),
      ...(tenants.length > 0 ? { tenantIds: tenants.map((t) => t.id) } : {})
    })
    matches.push(...page.rows.filter((k) => k.name === text || k.keyPrefix === text))
    if (page.rows.length < 1000) break
  }
  const [only, ...more] = matches
  if (only && more.length === 0) return only
  if (only) {
    throw usageError(`${matches.length} keys are named "${text}" (in ${[...new Set(matches.map((k) => k.tenantName))].join(', ')}): add --tenant, or give the key's id.`)
  }
  throw notFound(`No cached key is named "${text}"${tenants.length > 0 ? ' in that tenant' : ''}: search with \`fluxbase-keys ls --text ${JSON.stringify(text)}\`, or sync first.`)
}

/** A key id alone: the cache is asked tenant by tenant (keys.get reads the cache, never the network). */
async function keyById(s: Session, keyId: string, instanceId: string | undefined, tenants: TenantOverview[]): Promise<KeyRow> {
  const scope = tenants.length > 0 ? tenants : (await s.call('tenants.list', {})).filter((t) => instanceId === undefined || t.instanceId === instanceId)
  for (const t of scope) {
    const result = await s.attempt('keys.get', { instanceId: t.instanceId, tenantId: t.id, keyId })
    if (result.ok) return result.value.key
    if (result.error.code !== 'not_found') throw CliError.fromApi(result.error)
  }
  throw notFound(`No cached key has the id ${keyId}: sync first, or check the id with \`fluxbase-keys ls\`.`)
}

export const refOf = (k: Pick<KeyRow, 'instanceId' | 'tenantId' | 'id'>): KeyRef => ({ instanceId: k.instanceId, tenantId: k.tenantId, keyId: k.id })
