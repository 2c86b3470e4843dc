// Injected transport faults: latency, timeouts, 429/500/503, connection resets, truncated and
// malformed bodies, slow bodies, refused connections and cancellation.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../emulator/index'
import { FluxbaseClient } from '../../src/core/fluxbase'
import { assertNoLeaks, emulator, failure, makeClient, passwordCredential, remember, tenantOf } from './helpers'

const LIST = 'GET /api/v1/admin/service-keys'
const CREATE = 'POST /api/v1/admin/service-keys'
const LIST_RE = '^/api/v1/admin/service-keys$'

describe('fault handling', () => {
  let em: RunningEmulator
  let client: FluxbaseClient
  let acme: string
  const count = (k: string): number => em.requestCounts()[k] ?? 0
  const keyCount = async (): Promise<number> => (await client.listKeys(acme)).length

  beforeAll(async () => {
    em = await emulator()
    client = makeClient(em, { timeoutMs: 400 }).client
    acme = tenantOf(em, 'acme')
    await client.login()
  })
  afterEach(() => em.setFaults([]))
  afterAll(async () => {
    assertNoLeaks()
    await em.close()
  })

  it('latency below the timeout is fine', async () => {
    em.setFaults([{ path: LIST_RE, kind: 'latency', latencyMs: 150 }])
    expect((await client.listKeys(acme)).length).toBeGreaterThan(0)
  })

  it('latency beyond the timeout -> timeout, retried for reads', async () => {
    em.setFaults([{ path: LIST_RE, kind: 'latency', latencyMs: 1000 }])
    const before = count(LIST)
    const c = makeClient(em, { timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }).client
    const err = await failure(c.listKeys(acme))
    expect(err).toMatchObject({ kind: 'timeout', retryable: true, endpoint: LIST, status: null })
    expect(err.message).toMatch(/did not answer within 1 second while listing the service keys/)
    expect(count(LIST)).toBe(before + 2)
  })

  it('a timed-out create is not retried, and says the change may have happened', async () => {
    em.setFaults([{ path: LIST_RE, method: 'POST', kind: 'latency', latencyMs: 600, count: 1 }])
    const before = count(CREATE)
    const c = makeClient(em, { timeoutMs: 150 }).client
    const err = await failure(c.createKey(acme, { name: 'fault-timeout-create' }))
    expect(err).toMatchObject({ kind: 'timeout', retryable: false })
    expect(err.message).toMatch(/may or may not have been applied/)
    expect(count(CREATE)).toBe(before + 1)
  })

  it('a body that trickles in slower than the timeout -> timeout', async () => {
    em.setFaults([{ path: LIST_RE, kind: 'slowBody', latencyMs: 2000, count: 10 }])
    const c = makeClient(em, { timeoutMs: 200, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).client
    const err = await failure(c.listKeys(acme))
    expect(err.kind).toBe('timeout')
  })

  it('429 with Retry-After is retried after the announced delay (mutations too)', async () => {
    em.setFaults([{ path: LIST_RE, kind: 'status429', retryAfterSeconds: 1, count: 1 }])
    const slowCap = makeClient(em, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2000 } }).client
    const before = count(CREATE)
    const started = Date.now()
    const issued = await slowCap.createKey(acme, { name: 'fault-429-create' })
    remember(issued.value)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(count(CREATE)).toBe(before + 2)
    expect((await client.listKeys(acme)).filter((k) => k.name === 'fault-429-create')).toHaveLength(1)
  })

  it('Retry-After is capped by maxDelayMs', async () => {
    em.setFaults([{ path: LIST_RE, kind: 'status429', retryAfterSeconds: 30, count: 1 }])
    const started = Date.now()
    await client.listKeys(acme) // FAST_RETRY caps at 50 ms
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it.each(['status500', 'status503'] as const)('%s on a read is retried and succeeds once the fault is spent', async (kind) => {
    em.setFaults([{ path: LIST_RE, method: 'GET', kind, count: 2 }])
    const before = count(LIST)
    expect((await client.listKeys(acme)).length).toBeGreaterThan(0)
    expect(count(LIST)).toBe(before + 3)
  })

  it('500 on a read that never recovers -> http 500, retryable, after all attempts', async () => {
    em.setFaults([{ path: LIST_RE, method: 'GET', kind: 'status500' }])
    const before = count(LIST)
    const err = await failure(client.listKeys(acme))
    expect(err).toMatchObject({ kind: 'http', status: 500, retryable: true })
    expect(count(LIST)).toBe(before + 4)
  })

  it('503 on a create is not retried', async () => {
    em.setFaults([{ path: LIST_RE, method: 'POST', kind: 'status503', count: 1 }])
    const before = count(CREATE)
    const err = await failure(client.createKey(acme, { name: 'fault-503-create' }))
    expect(err).toMatchObject({ kind: 'http', status: 503, retryable: false })
    expect(err.message).toMatch(/temporarily unavailable/)
    expect(count(CREATE)).toBe(before + 1)
  })

  it('connection reset on a read -> network, retried, succeeds', async () => {
    em.setFaults([{ path: LIST_RE, method: 'GET', kind: 'reset', count: 2 }])
    const before = count(LIST)
    expect((await client.listKeys(acme)).length).toBeGreaterThan(0)
    expect(count(LIST)).toBe(before + 3)
  })

  it('connection reset on every read -> network error with an actionable message', async () => {
    em.setFaults([{ path: LIST_RE, method: 'GET', kind: 'reset' }])
    const err = await failure(client.listKeys(acme))
    expect(err).toMatchObject({ kind: 'network', retryable: true, status: null })
    expect(err.message).toMatch(/Could not reach .*check the server address and your network connection/)
  })

  it('connection reset on create -> network, NOT retried: the server saw exactly one create', async () => {
    const keysBefore = await keyCount()
    em.setFaults([{ path: LIST_RE, method: 'POST', kind: 'reset', count: 5 }])
    const before = count(CREATE)
    const err = await failure(client.createKey(acme, { name: 'fault-reset-create' }))
    expect(err).toMatchObject({ kind: 'network', retryable: false })
    expect(count(CREATE)).toBe(before + 1)
    em.setFaults([])
    expect(await keyCount()).toBe(keysBefore)
  })

  it.each(['truncated', 'malformed'] as const)('%s body on a read -> invalid_response; retried, then succeeds', async (kind) => {
    em.setFaults([{ path: LIST_RE, method: 'GET', kind, count: 10 }])
    const err = await failure(client.listKeys(acme))
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: true, endpoint: LIST })
    expect(err.message).toMatch(/^The server's answer to listing the service keys was not understood/)
    expect(err.detail).toMatch(/not valid JSON|cut off/)
    em.setFaults([{ path: LIST_RE, method: 'GET', kind, count: 1 }])
    expect((await client.listKeys(acme)).length).toBeGreaterThan(0)
  })

  it('truncated answer to a create -> invalid_response, not retried', async () => {
    em.setFaults([{ path: LIST_RE, method: 'POST', kind: 'truncated', count: 1 }])
    const before = count(CREATE)
    const err = await failure(client.createKey(acme, { name: 'fault-truncated-create' }))
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: false })
    expect(count(CREATE)).toBe(before + 1)
  })

  it('cancellation through the client signal -> cancelled, not retried', async () => {
    em.setFaults([{ path: LIST_RE, kind: 'latency', latencyMs: 500 }])
    const ac = new AbortController()
    const c = makeClient(em, { signal: ac.signal }).client
    await c.login()
    setTimeout(() => ac.abort(), 50)
    const err = await failure(c.listKeys(acme))
    expect(err).toMatchObject({ kind: 'cancelled', retryable: false })
    const again = await failure(c.listKeys(acme))
    expect(again.kind).toBe('cancelled')
  })

  it('ECONNREFUSED -> network, retryable even for a create (it never reached a server)', async () => {
    const srv = createServer()
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as AddressInfo).port
    await new Promise<void>((r) => srv.close(() => r()))
    const c = new FluxbaseClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: { kind: 'token', accessToken: 'not-a-real-token-but-long-enough' },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 }
    })
    const err = await failure(c.createKey(acme, { name: 'never' }))
    expect(err).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', retryable: true })
    expect(err.message).toContain(`http://127.0.0.1:${port}`)
    expect(err.message).toMatch(/connection was refused/)
    const pw = new FluxbaseClient({ baseUrl: `http://127.0.0.1:${port}`, credential: passwordCredential(em), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })
    const e2 = await failure(pw.listKeys(acme))
    expect(e2.kind).toBe('network')
    expect(e2.endpoint).toBe('POST /api/v1/admin/login')
  })
})
