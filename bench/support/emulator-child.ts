// Runs the emulator in its own process (so its CPU does not share the measured process's
// event loop) and prints one JSON line: { url, email, password, tenantIds, touchUrl }.
// Usage: node --import tsx bench/support/emulator-child.ts <tenants> <keysPerTenant> <seed> <latencyMs> [<max>/<windowSeconds>]
// The optional last argument turns on the server's global rate limiter (reference §1.4); the
// control routes are on, so GET /__emulator/state tells requests and 429s sent.
//
// touchUrl: a second, bench-only listener. POST there and every key the server holds gets a
// new last use within the last 5 minutes (traffic between two syncs, as a real fleet has it),
// so the next sync finds every last_used_at changed. The emulator has no route for that (a
// real server has none either): the bench reaches its store from this process, without
// changing the emulator. Each touched key's cached JSON is dropped, as a server serialises
// each answer afresh.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startEmulator } from '../../emulator/index'
import { Store } from '../../emulator/store'
import { prng } from './data'

let store: Store | null = null
const listTenantKeys = Store.prototype.listTenantKeys
const insertKey = Store.prototype.insertKey
// The one Store of this process, seen at its first seeded key (or list).
const remember = (s: Store): void => {
  store ??= s
}
Store.prototype.insertKey = function (this: Store, ...args: Parameters<Store['insertKey']>) {
  remember(this)
  return insertKey.apply(this, args)
}
Store.prototype.listTenantKeys = function (this: Store, ...args: Parameters<Store['listTenantKeys']>) {
  remember(this)
  return listTenantKeys.apply(this, args)
}

const TOUCH_WINDOW_MS = 5 * 60_000

function touchAll(seed: number, now: number): number {
  if (!store) return 0
  const rand = prng(seed)
  let n = 0
  for (const k of store.keys.values()) {
    k.lastUsedAt = now - Math.floor(rand() * TOUCH_WINDOW_MS)
    k.json = undefined
    n++
  }
  return n
}

async function main(): Promise<void> {
  const [tenants, keysPerTenant, seed, latencyMs] = process.argv.slice(2, 6).map(Number)
  const limit = /^(\d+)\/(\d+)$/.exec(process.argv[6] ?? '')
  const em = await startEmulator({
    port: 0,
    seed: { tenants: tenants ?? 500, keysPerTenant: keysPerTenant ?? 40, seed: seed ?? 1 },
    latencyMs: latencyMs ?? 20,
    controlRoutes: true,
    ...(limit ? { rateLimit: { max: Number(limit[1]), windowMs: Number(limit[2]) * 1000 } } : {})
  })
  let touches = 0
  const control = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/touch') {
      const t0 = performance.now()
      const n = touchAll(1000 + ++touches, em.clock.now())
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ touched: n, ms: performance.now() - t0 }))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve))
  const touchUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/touch`
  const { email, password } = em.credentials.instanceAdmin
  process.stdout.write(`${JSON.stringify({ url: em.url, email, password, tenantIds: em.tenants.map((t) => t.id), touchUrl })}\n`)
  const stop = () => {
    control.close()
    void em.close().then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // The parent going away (stdin closed) ends the emulator too.
  process.stdin.on('end', stop)
  process.stdin.resume()
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator-child: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
