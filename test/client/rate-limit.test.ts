// The server's global rate limiter (reference §1.4: fixed windows per client address, admins
// included) against the client's request budget, over real HTTP. Small windows keep it short.
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../emulator/index'
import { RequestBudget } from '../../src/core/fluxbase'
import { emulator, makeClient, tenantOf } from './helpers'

const WINDOW_MS = 2000
const MAX = 10

describe('a rate-limited server', () => {
  let em: RunningEmulator | null = null
  afterEach(async () => { await em?.close(); em = null })

  it('is paced to its budget: every read succeeds, the window is waited for, almost no 429', async () => {
    em = await emulator({ rateLimit: { max: MAX, windowMs: WINDOW_MS } })
    const waits: Array<number | null> = []
    const budget = new RequestBudget(Date.now, (until) => waits.push(until))
    const { client } = makeClient(em, { budget })
    const acme = tenantOf(em, 'acme')
    const started = Date.now()
    // 35 reads at once, as a sync would send them, plus the sign-in: 4 windows of 10.
    const lists = await Promise.all(Array.from({ length: 35 }, () => client.listKeys(acme, { background: true })))
    const took = Date.now() - started
    expect(lists.every((l) => l.length > 0)).toBe(true)
    const stats = em.stats()
    // The first answers teach the budget before the window is spent: no storm of 429s.
    expect(stats.rateLimited).toBeLessThanOrEqual(1)
    expect(budget.rateLimited).toBe(stats.rateLimited)
    // 36 requests need 4 windows: the client waited for 3 resets rather than failing.
    expect(took).toBeGreaterThanOrEqual(3 * WINDOW_MS - 500)
    // The wait was reported (for "rate limited by the server, next batch in N s"), then cleared.
    expect(waits.some((w) => w !== null)).toBe(true)
    expect(waits.at(-1)).toBeNull()
  }, 60_000)

  it('lets what the operator asks for go before the sync reads waiting for the window', async () => {
    em = await emulator({ rateLimit: { max: MAX, windowMs: WINDOW_MS } })
    const budget = new RequestBudget()
    const { client } = makeClient(em, { budget })
    const acme = tenantOf(em, 'acme')
    await client.listKeys(acme) // sign in, learn the budget
    const order: string[] = []
    const background = Array.from({ length: 20 }, (_, i) => client.listKeys(acme, { background: true }).then(() => order.push(`sync-${i}`)))
    // Asked while the sync's reads already wait: it goes in the next window, ahead of them.
    await new Promise((r) => setTimeout(r, 50))
    const interactive = client.listKeys(acme).then(() => order.push('operator'))
    await Promise.all([...background, interactive])
    expect(order.indexOf('operator')).toBeLessThan(order.length - 5)
    expect(em.stats().rateLimited).toBeLessThanOrEqual(1)
  }, 60_000)

  it('without limit headers, a 429 pauses for Retry-After and the number in flight adapts', async () => {
    // A proxy that strips X-RateLimit-*: the budget only sees 429s (simulated here).
    const budget = new RequestBudget()
    const answer = (status: number) => ({ status, header: (h: string) => (h === 'retry-after' && status === 429 ? '1' : null) })
    await budget.acquire('background', undefined, 'GET /x')
    const started = Date.now()
    budget.settle(answer(429))
    await budget.acquire('background', undefined, 'GET /x')
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    budget.settle(answer(200))
    expect(budget.rateLimited).toBe(1)
  }, 10_000)

  it('a cancelled wait rejects as cancelled and frees its place', async () => {
    const budget = new RequestBudget()
    const answer = { status: 429, header: (h: string) => (h === 'retry-after' ? '30' : null) }
    await budget.acquire('background', undefined, 'GET /x')
    budget.settle(answer)
    const abort = new AbortController()
    const waiting = budget.acquire('background', abort.signal, 'GET /api/v1/admin/service-keys')
    abort.abort()
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled' })
  })
})
