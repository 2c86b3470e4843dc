// One operator, one inventory: the app's core (a host in this process, as Electron main runs it)
// and the CLI (a child process) on the same data dir and keychain, syncing and writing at the same
// time. Afterwards SQLite's own checks pass and the cache holds exactly the server's keys: every
// row the server has, none it lacks, and every action either process logged.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../emulator/index'
import { createCoreHost, type CoreHost } from '../../src/core/host'
import { createKeytarStore, type SecretStore } from '../../src/core/secrets'
import { InMemoryClipboard } from '../../e2e/harness/fakes'
import { removeTempDir, tempDir } from '../support/temp'
import { buildCli, cliEnv, runCli, type CliResult } from './helpers'

const TENANTS = 120
const KEYS_PER_TENANT = 20

function openHost(dataDir: string, secrets: SecretStore): Promise<CoreHost> {
  return createCoreHost({
    dataDir, shell: 'electron', version: 'test', clipboard: new InMemoryClipboard(), notifier: { show: () => undefined },
    exportTarget: { choosePath: async () => null }, secrets
  })
}

async function must<T>(host: CoreHost, name: Parameters<CoreHost['dispatch']>[0], input: unknown): Promise<T> {
  const result = await host.dispatch(name, input)
  if (!result.ok) throw new Error(`${name} failed: [${result.error.code}] ${result.error.message}`)
  return result.value as T
}

/** Keys in a cache file as `tenant/key` (instance ids differ between data dirs), sorted. */
function cachedKeys(file: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare<[], { k: string }>("SELECT tenant_id || '/' || id AS k FROM keys").all().map((r) => r.k).sort()
  } finally {
    db.close()
  }
}

describe('the app and the CLI on one data dir at the same time', () => {
  let emulator: RunningEmulator | undefined
  const services: SecretStore[] = []
  const hosts: CoreHost[] = []
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close().catch(() => undefined)
    await emulator?.close()
    for (const s of services.splice(0)) for (const a of await s.list().catch(() => [])) await s.delete(a).catch(() => false)
  })

  it('both sync at once, then each writes while the other syncs: no corruption, no lost row', async () => {
    buildCli()
    // Server-side latency and few requests in flight, so each sync takes seconds and they overlap.
    emulator = await startEmulator({ seed: { tenants: TENANTS, keysPerTenant: KEYS_PER_TENANT, seed: 14 }, latencyMs: 40 })
    const dataDir = tempDir('fbk-two-')
    const service = `Fluxbase Keys two-process ${randomUUID()}`
    const secrets = createKeytarStore({ service })
    services.push(secrets)
    const app = await openHost(dataDir, secrets)
    hosts.push(app)
    const { instanceAdmin } = emulator.credentials
    const { instance } = await must<{ instance: { id: string } }>(app, 'instances.add', {
      baseUrl: emulator.url, label: 'Emulator', auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password }
    })
    // One settings table for both: the CLI syncs with the same 4 requests in flight.
    await must(app, 'settings.set', { syncConcurrency: 4 })
    const env = cliEnv(dataDir, service)
    const tenants = emulator.tenants

    // Round 1: the CLI starts syncing; the app starts as soon as the CLI reports its first tenant.
    let appStartedAt = 0
    let appEndedAt = 0
    let cliLinesAfterAppStart = 0
    let appSync: Promise<{ tenants: number; failed: number }> | null = null
    const cliSync = runCli(['sync'], env, {
      timeoutMs: 120_000,
      onStderr: (chunk) => {
        if (!chunk.includes('sync ')) return
        if (appSync) {
          if (appEndedAt === 0) cliLinesAfterAppStart += chunk.split('\n').filter((l) => l.startsWith('sync ')).length
          return
        }
        appStartedAt = Date.now()
        appSync = must<{ tenants: number; failed: number }>(app, 'sync.run', {}).finally(() => (appEndedAt = Date.now()))
      }
    })
    const cliResult: CliResult = await cliSync
    const cliEndedAt = Date.now()
    expect(appSync, 'the app sync started during the CLI sync').not.toBeNull()
    const appSummary = await (appSync as unknown as Promise<{ tenants: number; failed: number }>)
    expect(cliResult.code, cliResult.stderr).toBe(0)
    expect(cliResult.stdout).toContain(`Synced ${tenants.length} of ${tenants.length} tenants`)
    expect(appSummary).toMatchObject({ tenants: tenants.length, failed: 0 })
    // They really ran at the same time: the CLI kept reporting tenants while the app synced.
    expect(appStartedAt).toBeLessThan(cliEndedAt)
    expect(cliLinesAfterAppStart).toBeGreaterThan(10)
    console.log(`two syncs overlapped: app ${appEndedAt - appStartedAt} ms, CLI wrote ${cliLinesAfterAppStart} tenants meanwhile`)

    // Round 2: the CLI creates keys while the app syncs, and the app creates keys while the CLI syncs.
    const [t1, t2, t3] = tenants.filter((t) => !t.isDefault)
    const appSync2 = must(app, 'sync.run', {})
    const created: CliResult[] = []
    for (const t of [t1, t2, t3]) created.push(await runCli(['create', '--tenant', t?.slug ?? '', '--name', 'from-the-cli', '--scope', '*', '--json'], env))
    await appSync2
    const cliSync2 = runCli(['sync', '--quiet'], env, { timeoutMs: 120_000 })
    for (const t of [t1, t2, t3]) {
      await must(app, 'keys.create', { instanceId: instance.id, tenantId: t?.id, input: { name: 'from-the-app', keyType: 'service', scopes: ['*'] } })
    }
    const cliSync2Result = await cliSync2
    for (const r of created) expect(r.code, r.stderr).toBe(0)
    expect(cliSync2Result.code, cliSync2Result.stderr).toBe(0)

    // Round 3: both again at once, to settle on the server's state.
    const [finalCli, finalApp] = await Promise.all([runCli(['sync', '--quiet', '--json'], env, { timeoutMs: 120_000 }), must<{ failed: number }>(app, 'sync.run', {})])
    expect(finalCli.code, finalCli.stderr).toBe(0)
    expect(finalApp.failed).toBe(0)
    const appCount = await must<{ total: number }>(app, 'inventory.count', {})
    await app.close()
    hosts.splice(0)

    // The server's truth, from a cache nobody else touched.
    const refDir = tempDir('fbk-ref-')
    const refSecrets = createKeytarStore({ service: `${service} reference` })
    services.push(refSecrets)
    const ref = await openHost(refDir, refSecrets)
    hosts.push(ref)
    await must(ref, 'instances.add', { baseUrl: emulator.url, label: 'Reference', auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password } })
    await must(ref, 'sync.run', {})
    await ref.close()
    hosts.splice(0)

    const file = join(dataDir, 'inventory.sqlite')
    const db = new Database(file, { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('foreign_key_check')).toEqual([])
      // Every create either process made is in the one action log, completed.
      const creates = db.prepare<[], { outcome: string; n: number }>("SELECT outcome, count(*) AS n FROM actions WHERE action = 'create' GROUP BY outcome").all()
      expect(creates).toEqual([{ outcome: 'ok', n: 6 }])
    } finally {
      db.close()
    }
    const shared = cachedKeys(file)
    const truth = cachedKeys(join(refDir, 'inventory.sqlite'))
    expect(truth.length).toBe(tenants.length * KEYS_PER_TENANT + 6)
    expect(shared).toEqual(truth)
    expect(appCount.total).toBe(truth.length)
    removeTempDir(refDir)
    removeTempDir(dataDir)
  }, 240_000)

  it('CLI runs started together on a fresh data dir all succeed (schema created once, keychain calls one at a time)', async () => {
    buildCli()
    const service = `Fluxbase Keys fresh ${randomUUID()}`
    services.push(createKeytarStore({ service }))
    for (let round = 0; round < 2; round++) {
      const dataDir = tempDir('fbk-fresh-')
      const env = cliEnv(dataDir, service)
      const results = await Promise.all(Array.from({ length: 6 }, () => runCli(['status', '--json'], env)))
      for (const r of results) expect(r.code, r.stderr).toBe(0)
      const db = new Database(join(dataDir, 'inventory.sqlite'), { readonly: true })
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        db.close()
      }
      removeTempDir(dataDir)
    }
  }, 120_000)
})
