// Runs the emulator in its own process (so its CPU does not share the measured process's
// event loop) and prints one JSON line: { url, email, password, tenantIds }.
// Usage: node --import tsx bench/support/emulator-child.ts <tenants> <keysPerTenant> <seed> <latencyMs> [<max>/<windowSeconds>]
// The optional last argument turns on the server's global rate limiter (reference §1.4); the
// control routes are on, so GET /__emulator/state tells requests and 429s sent.
import { startEmulator } from '../../emulator/index'

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
  const { email, password } = em.credentials.instanceAdmin
  process.stdout.write(`${JSON.stringify({ url: em.url, email, password, tenantIds: em.tenants.map((t) => t.id) })}\n`)
  const stop = () => { void em.close().then(() => process.exit(0)) }
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
