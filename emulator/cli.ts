// `npx tsx emulator/cli.ts [--port 8787] [--profile current|legacy] [--tenants N --keys-per-tenant M --seed S]
//  [--latency-ms N] [--control] [--token-ttl S] [--host H] [--server-fixed] [--utc-offset +01:00]
//  [--rate-limit 100/min] [--quiet]`
import { startEmulator, type EmulatorOptions, type RateLimitOptions } from './index'
import { offsetSuffix, parseUtcOffset } from './time-format'

const USAGE = `Usage: npx tsx emulator/cli.ts [options]

  --port N               listen port (default 8787; 0 = random free port)
  --host H               listen address (default 127.0.0.1)
  --profile P            current | legacy (default current)
  --tenants N            seed N tenants (the first is the default tenant; from 10 on, a few
                         are creating / error / deleting and so missing from the tenant list)
  --keys-per-tenant M    seed M keys per tenant (with --tenants)
  --seed S               PRNG seed for the data (default 1)
  --latency-ms N         server-side latency added to every API request
  --token-ttl S          access-token lifetime in seconds (default 86400)
  --control              enable the /__emulator/* control routes
                         (state, clock, faults, tenant-db)
  --server-fixed         serve the intended server, not the shipped one: PUT update works, and
                         Idempotency-Key records are per credential and never keep a 401/403
                         (default: the shipped server, its bugs included)
  --utc-offset Z|+HH:MM  the server's zone offset for timestamps (default +01:00; Z or 0 = UTC)
  --rate-limit N/UNIT    turn on the global API rate limiter: N requests per client address per
                         window; UNIT is s, min or h, optionally with a count (100/min, 10/30s)
                         (default: off, as on a real server)
  --quiet                do not log requests
  --help                 show this help`

class UsageError extends Error {}

function parseArgs(argv: string[]): { options: EmulatorOptions; quiet: boolean; help: boolean } {
  const options: EmulatorOptions = { port: 8787 }
  let tenants: number | undefined
  let keys: number | undefined
  let seed: number | undefined
  let quiet = false
  let help = false
  const int = (flag: string, v: string | undefined, min: number): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${flag} needs a whole number`)
    const n = Number(v)
    if (n < min) throw new UsageError(`${flag} must be at least ${min}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string
    const eq = raw.indexOf('=')
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--port': {
        const p = int(flag, value(), 0)
        if (p > 65535) throw new UsageError('--port must be at most 65535')
        options.port = p
        break
      }
      case '--host': {
        const h = value()
        if (!h) throw new UsageError('--host needs an address')
        options.host = h
        break
      }
      case '--profile': {
        const p = value()
        if (p !== 'current' && p !== 'legacy') throw new UsageError('--profile must be current or legacy')
        options.profile = p
        break
      }
      case '--tenants': tenants = int(flag, value(), 0); break
      case '--keys-per-tenant': keys = int(flag, value(), 0); break
      case '--seed': seed = int(flag, value(), 0); break
      case '--latency-ms': options.latencyMs = int(flag, value(), 0); break
      case '--token-ttl': options.accessTokenTtlSeconds = int(flag, value(), 1); break
      case '--control': options.controlRoutes = true; break
      case '--server-fixed': options.serverFixed = true; break
      case '--utc-offset': {
        const v = value()
        const off = v === undefined ? undefined : parseUtcOffset(v)
        if (off === undefined) throw new UsageError('--utc-offset needs Z or an offset like +01:00 or -05:30')
        options.utcOffsetMinutes = off
        break
      }
      case '--rate-limit': {
        const v = value()
        const rl = v === undefined ? undefined : parseRateLimit(v)
        if (!rl) throw new UsageError('--rate-limit needs N/UNIT with UNIT s, min or h (e.g. 100/min, 5/s, 1000/h, 10/30s)')
        options.rateLimit = rl
        break
      }
      case '--quirk-update-500':
        throw new UsageError('--quirk-update-500 is gone: the PUT bug is now the default; --server-fixed gives a working update')
      case '--quiet': quiet = true; break
      case '--help': case '-h': help = true; break
      default: throw new UsageError(`unknown option: ${raw}`)
    }
  }
  if (tenants !== undefined || keys !== undefined || seed !== undefined) {
    if (tenants === undefined || keys === undefined) throw new UsageError('--tenants and --keys-per-tenant go together')
    options.seed = { tenants, keysPerTenant: keys, seed: seed ?? 1 }
  }
  return { options, quiet, help }
}

const UNIT_MS: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000 }

/** `100/min`, `5/s`, `1000/h`, `10/30s` -> { max, windowMs }. */
function parseRateLimit(v: string): RateLimitOptions | undefined {
  const m = /^(\d+)\/(\d*)(s|min|h)$/.exec(v)
  if (!m) return undefined
  const max = Number(m[1])
  const count = m[2] === '' ? 1 : Number(m[2])
  const windowMs = count * (UNIT_MS[m[3] as string] as number)
  if (max < 1 || count < 1) return undefined
  return { max, windowMs }
}

/** Tenants GET /tenants does not list (status creating / error / deleting). */
function hiddenTenantLines(all: { id: string; slug: string; status: string }[]): string[] {
  const hidden = all.filter((t) => t.status !== 'active')
  if (hidden.length === 0) return []
  return [`  not listed (not active): ${hidden.length}`, ...hidden.slice(0, 10).map((t) => `    ${t.id}  ${t.slug}  [${t.status}]`)]
}

async function main(): Promise<void> {
  // A closed stdout (e.g. piped into `head`) must not crash the server with EPIPE.
  process.stdout.on('error', () => undefined)
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs(process.argv.slice(2))
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message} (see --help)\n`)
      process.exit(2)
    }
    throw e
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const { options, quiet } = parsed
  if (!quiet) options.log = (line) => process.stdout.write(`${line}\n`)
  let em: Awaited<ReturnType<typeof startEmulator>>
  try {
    em = await startEmulator(options)
  } catch (e) {
    process.stderr.write(`error: could not start the emulator: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  }
  const tenants = em.tenants
  const lines = [
    `Fluxbase emulator (${options.profile ?? 'current'} profile) listening on ${em.url}`,
    `  instance admin: ${em.credentials.instanceAdmin.email} / ${em.credentials.instanceAdmin.password}`,
    `  tenant admin:   ${em.credentials.tenantAdmin.email} / ${em.credentials.tenantAdmin.password}` +
      ` (tenants: ${em.credentials.tenantAdmin.tenantIds.join(', ') || 'none'})`,
    `  tenants (${tenants.length}):`,
    ...tenants.slice(0, 10).map((t) => `    ${t.id}  ${t.slug}${t.isDefault ? ' (default)' : ''}  ${t.name}`),
    ...(tenants.length > 10 ? [`    ... and ${tenants.length - 10} more`] : []),
    ...hiddenTenantLines(em.allTenants),
    `  server: ${options.serverFixed ? 'fixed (intended behaviour)' : 'as shipped (bugs included)'}, timestamps in ${offsetSuffix(options.utcOffsetMinutes ?? 60)}` +
      (options.rateLimit ? `, rate limit ${options.rateLimit.max} per ${options.rateLimit.windowMs / 1000} s per address` : ''),
    options.controlRoutes ? '  control routes: /__emulator/state, /__emulator/clock, /__emulator/faults, /__emulator/tenant-db' : '',
    'Press Ctrl+C to stop.'
  ].filter((l) => l !== '')
  process.stdout.write(`${lines.join('\n')}\n`)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`\n${signal}: shutting down\n`)
    em.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
