// Shared fixtures for the admin-API client tests: an emulator over real HTTP, clients with
// fast retries, and a collector that remembers every error so the leak scan can check them.
import { expect } from 'vitest'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index'
import { FluxbaseClient, FluxbaseError, type AdminCredential, type FluxbaseClientOptions, type SessionTokens } from '../../src/core/fluxbase'

export const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 }
export const T0 = Date.parse('2026-11-28T10:00:00Z')

/** Every secret the tests have seen (passwords, tokens, key values). */
export const seenSecrets = new Set<string>()
/** Every FluxbaseError a test provoked. */
export const seenErrors: FluxbaseError[] = []

export function remember(secret: string | null | undefined): void {
  if (secret) seenSecrets.add(secret)
}

export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const em = await startEmulator({ now: T0, ...options })
  remember(em.credentials.instanceAdmin.password)
  remember(em.credentials.tenantAdmin.password)
  return em
}

export type Who = 'instance' | 'tenant'

export function passwordCredential(em: RunningEmulator, who: Who = 'instance'): AdminCredential {
  const c = who === 'instance' ? em.credentials.instanceAdmin : em.credentials.tenantAdmin
  return { kind: 'password', email: c.email, password: c.password }
}

export function makeClient(
  em: RunningEmulator,
  opts: Partial<FluxbaseClientOptions> & { who?: Who } = {}
): { client: FluxbaseClient; tokens: SessionTokens[] } {
  const tokens: SessionTokens[] = []
  const { who, ...rest } = opts
  const client = new FluxbaseClient({
    baseUrl: em.url,
    credential: passwordCredential(em, who),
    retry: FAST_RETRY,
    timeoutMs: 3000,
    now: () => em.clock.now(),
    onTokens: (t) => {
      tokens.push(t)
      remember(t.accessToken)
      remember(t.refreshToken)
    },
    ...rest
  })
  return { client, tokens }
}

/** Awaits a promise that must reject with a FluxbaseError, records it, and returns it. */
export async function failure(p: Promise<unknown>): Promise<FluxbaseError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(FluxbaseError)
    seenErrors.push(e as FluxbaseError)
    return e as FluxbaseError
  }
  throw new Error('expected the call to fail, but it succeeded')
}

/** Fails the test if any recorded error mentions a recorded secret. */
export function assertNoLeaks(): void {
  for (const err of seenErrors) {
    const texts = [err.message, JSON.stringify(err), String(err), err.stack ?? '']
    for (const secret of seenSecrets) {
      for (const t of texts) {
        if (t.includes(secret)) throw new Error(`error "${err.message}" leaks a secret`)
      }
    }
  }
}

export { UUID_PATTERN as UUID_RE } from '../../src/shared/ids'

export async function whoami(em: RunningEmulator, key: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${em.url}/api/v1/whoami`, { headers: { 'X-Service-Key': key } })
  const text = await r.text()
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null }
}

export function tenantOf(em: RunningEmulator, slug: string): string {
  const t = em.tenants.find((x) => x.slug === slug)
  if (!t) throw new Error(`no tenant ${slug}`)
  return t.id
}
