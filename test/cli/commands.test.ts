// The real CLI process against the default emulator, the real keychain (gnome-keyring, a
// service of this file's own) and a real cache: every command, its exit codes, its --json output
// against the documented shapes, plain progress lines without a terminal, and no secret in any
// output or in the data dir unless --reveal-once asked for it.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { EXPORT_COLUMNS } from '../../src/core/export'
import { accounts } from '../../src/core/secrets'
import { tempDir } from '../support/temp'
import { CONTROL, buildCli, cliFixture, filesUnder, parseJson, type CliFixture, type CliResult } from './helpers'
import { JSON_SHAPES, shaped } from './schemas'

/** An issued value as the emulator makes them (a prefix is only its first 16 characters). */
const FULL_KEY = /[sp]k_live_[A-Za-z0-9_-]{43}=/
const T = 150_000

describe('fluxbase-keys against the emulator', () => {
  let fx: CliFixture
  /** Every value the keychain held for an issued key, read as soon as it was issued. */
  const issued = new Set<string>()
  /** Runs whose stdout was asked to carry a value (--reveal-once). */
  const revealing = new Set<CliResult>()
  let instanceId = ''

  const remember = async () => {
    for (const account of await fx.secrets.list('key:')) {
      const value = await fx.secrets.get(account)
      if (value) issued.add(value)
    }
  }
  const ok = async (args: string[], options?: Parameters<CliFixture['run']>[1]) => {
    const r = await fx.run(args, options)
    if (r.code !== 0) throw new Error(`fluxbase-keys ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
    return r
  }
  const json = async <S extends z.ZodType>(schema: S, args: string[]): Promise<z.output<S>> => shaped(schema, parseJson(await ok([...args, '--json'])))
  const rows = async (...filter: string[]) => json(JSON_SHAPES.ls, ['ls', ...filter])

  beforeAll(async () => {
    buildCli()
    fx = await cliFixture()
  }, T)
  afterAll(async () => fx?.close())

  it('answers --help for every command with examples, and exit codes in the main help', async () => {
    const main = await ok(['--help'])
    expect(main.stdout).toContain('Exit codes:')
    for (const code of ['0', '1', '2', '3', '4', '5', '6', '130']) expect(main.stdout).toMatch(new RegExp(`^\\s+${code}  `, 'm'))
    const commands = [
      ['instances'], ['instances', 'add'], ['instances', 'list'], ['instances', 'test'], ['instances', 'remove'], ['tenants'], ['sync'],
      ['ls'], ['show'], ['history'], ['create'], ['update'], ['disable'], ['enable'], ['deprecate'], ['rotate'], ['finish'],
      ['revoke'], ['delete'], ['export'], ['copy'], ['check'], ['status'], ['completion']
    ]
    const helps = await Promise.all(commands.map((c) => fx.run([...c, '--help'])))
    helps.forEach((r, i) => {
      expect(r.code, commands[i]?.join(' ')).toBe(0)
      expect(r.stdout, commands[i]?.join(' ')).toContain('Examples:')
      expect(r.stdout).toContain(`$ fluxbase-keys ${commands[i]?.[0] ?? ''}`)
    })
    expect(fx.runs.every((r) => !CONTROL.test(r.stdout + r.stderr))).toBe(true)
  }, T)

  it('says what is wrong with the arguments in one sentence and exits 2 (as JSON with --json)', async () => {
    const noCommand = await fx.run([])
    expect(noCommand.code).toBe(2)
    const unknown = await fx.run(['ls', '--bogus'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    expect(unknown.stderr).toMatch(/^error: Unknown option '--bogus'/)
    const asJson = shaped(JSON_SHAPES.error, JSON.parse((await fx.run(['rotate', 'x', '--json'])).stderr))
    expect(asJson.error).toMatchObject({ code: 'usage', exitCode: 2 })
    expect(asJson.error.message).toContain('--grace')
    const badDuration = await fx.run(['deprecate', 'x', '--grace', 'soon'])
    expect(badDuration.code).toBe(2)
    expect(badDuration.stderr).toContain('48h')
    // A secret is never an argument: there is no option to pass one.
    const password = await fx.run(['instances', 'add', '--url', fx.emulator.url, '--email', 'a@b.c', '--password', 'hunter2'])
    expect(password.code).toBe(2)
    // Without a terminal, a password is piped, never waited for.
    const noTerminal = await fx.run(['instances', 'add', '--url', fx.emulator.url, '--email', 'a@b.c'])
    expect(noTerminal.code).toBe(2)
    expect(noTerminal.stderr).toContain('--password-stdin')
    // Before any instance exists, a command that needs one says how to add it; check does not pass.
    for (const args of [['sync'], ['check']]) {
      const none = await fx.run(args)
      expect(none.code, args.join(' ')).toBe(2)
      expect(none.stderr).toContain('instances add')
    }
  }, T)

  it("uses the desktop app's data folder by default (the product name under XDG_CONFIG_HOME here)", async () => {
    const config = tempDir('fbk-xdg-')
    const status = shaped(JSON_SHAPES.status, parseJson(await ok(['status', '--json'], { env: { FLUXBASE_KEYS_DATA_DIR: undefined, XDG_CONFIG_HOME: config } })))
    expect(status.dataDir).toBe(join(config, 'Fluxbase Keys'))
    expect(existsSync(join(config, 'Fluxbase Keys', 'inventory.sqlite'))).toBe(true)
    const chosen = tempDir('fbk-chosen-')
    expect(shaped(JSON_SHAPES.status, parseJson(await ok(['status', '--json', '--data-dir', chosen]))).dataDir).toBe(chosen)
  }, T)

  it('instances: test tells a refused password (3) and an unreachable server (4); add takes the password from stdin', async () => {
    const { email, password } = fx.emulator.credentials.instanceAdmin
    const wrong = await fx.run(['instances', 'test', '--url', fx.emulator.url, '--email', email, '--password-stdin', '--json'], { input: 'not-the-password' })
    expect(wrong.code).toBe(3)
    expect(shaped(JSON_SHAPES.error, JSON.parse(wrong.stderr)).error.code).toBe('auth')
    const closed = await fx.run(['instances', 'test', '--url', 'http://127.0.0.1:9', '--email', email, '--password-stdin'], { input: password })
    expect(closed.code).toBe(4)
    expect(closed.stderr.trim().split('\n')).toHaveLength(1)
    const empty = await fx.run(['instances', 'test', '--url', fx.emulator.url, '--email', email, '--password-stdin'])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('Enter the password.')
    const t = shaped(JSON_SHAPES.instancesTest, parseJson(await ok(['instances', 'test', '--url', fx.emulator.url, '--email', email, '--password-stdin', '--json'], { input: password })))
    expect(t.tenants.map((x) => x.slug).sort()).toEqual(fx.emulator.tenants.map((x) => x.slug).sort())

    const added = shaped(JSON_SHAPES.instancesAdd, parseJson(await ok(
      ['instances', 'add', '--url', fx.emulator.url, '--label', 'Emulator', '--email', email, '--password-stdin', '--json'], { input: `${password}\n` })))
    instanceId = added.instance.id
    expect(added.tenants.every((x) => x.selected)).toBe(true)
    // The credential went to the keychain, under the app's account name.
    expect(await fx.secrets.get(accounts.instanceCredential(instanceId))).toContain(email)
    const list = await json(JSON_SHAPES.instancesList, ['instances', 'list'])
    expect(list.map((i) => i.label)).toEqual(['Emulator'])
    expect((await ok(['instances', 'list'])).stdout).toMatch(/^LABEL\s+URL/)
  }, T)

  it('sync: plain progress lines on stderr when not a terminal (no bar, no colour), the summary as JSON', async () => {
    const plain = await ok(['sync'])
    const lines = plain.stderr.trim().split('\n').filter((l) => l.startsWith('sync '))
    expect(lines).toHaveLength(fx.emulator.tenants.length)
    expect(lines.at(-1)).toMatch(/^sync 3\/3 \S+: ok$/)
    expect(plain.stdout).toMatch(/^Synced 3 of 3 tenants in /)
    expect(CONTROL.test(plain.stdout + plain.stderr)).toBe(false)
    const summary = await json(JSON_SHAPES.sync, ['sync', '--quiet'])
    expect(summary).toMatchObject({ tenants: 3, ok: 3, failed: 0, cancelled: false })
    const one = await json(JSON_SHAPES.sync, ['sync', '--tenant', 'acme', '--quiet'])
    expect(one.tenants).toBe(1)
    const tenants = await json(JSON_SHAPES.tenants, ['tenants'])
    expect(tenants.every((t) => t.sync.kind === 'fresh')).toBe(true)
    expect((await json(JSON_SHAPES.status, ['status'])).shell).toBe('cli')
  }, T)

  it('ls: the app filters, table, CSV and JSON', async () => {
    const all = await rows()
    expect(all.total).toBeGreaterThanOrEqual(18)
    expect(all.rows).toHaveLength(all.total)
    const grace = await rows('--status', 'grace,grace_ended')
    expect(grace.rows.length).toBeGreaterThan(0)
    expect(grace.rows.every((k) => k.status === 'grace' || k.status === 'grace_ended')).toBe(true)
    const acme = await rows('--tenant', 'acme')
    expect(acme.rows.every((k) => k.tenantSlug === 'acme')).toBe(true)
    const both = await rows('--tenant', 'Acme', '--tenant', 'globex')
    expect(new Set(both.rows.map((k) => k.tenantSlug))).toEqual(new Set(['acme', 'globex']))
    const text = await rows('--text', 'webhook')
    expect(text.rows.length).toBeGreaterThan(0)
    expect(text.rows.every((k) => k.name.includes('webhook'))).toBe(true)
    const expiring = await rows('--expiring-within', '30d')
    const now = Date.now()
    expect(expiring.rows.every((k) => k.expiresAt !== null && Date.parse(k.expiresAt) > now && Date.parse(k.expiresAt) <= now + 30 * 86_400_000)).toBe(true)
    const unused = await rows('--unused-for', '90d')
    expect(unused.rows.every((k) => k.lastUsedAt === null || Date.parse(k.lastUsedAt) < now - 90 * 86_400_000)).toBe(true)
    expect((await rows('--instance', 'Emulator')).total).toBe(all.total)
    const sorted = await rows('--sort', 'name:desc', '--limit', '3')
    expect(sorted.rows).toHaveLength(3)
    expect(sorted.total).toBe(all.total)
    const csv = (await ok(['ls', '--csv', '--tenant', 'acme'])).stdout.split('\r\n')
    expect(csv[0]).toBe(EXPORT_COLUMNS.join(','))
    expect(csv.filter(Boolean)).toHaveLength(acme.total + 1)
    const table = (await ok(['ls', '--tenant', 'acme'])).stdout
    expect(table.split('\n')[0]).toMatch(/^NAME\s+TENANT\s+STATUS/)
    expect(CONTROL.test(table)).toBe(false)
    const nothing = await fx.run(['ls', '--text', 'no-such-key-anywhere'])
    expect(nothing.code).toBe(0)
    expect(nothing.stdout).toBe('')
    const badStatus = await fx.run(['ls', '--status', 'sleepy'])
    expect(badStatus.code).toBe(2)
  }, T)

  it('create: the value goes to the keychain, never to stdout; --reveal-once prints it into a pipe only', async () => {
    const made = await json(JSON_SHAPES.create, ['create', '--tenant', 'acme', '--name', 'cli-made', '--scope', 'tables:read,storage:read', '--description', 'made by the CLI test'])
    expect(made.storedInKeychain).toBe(true)
    expect(made.value).toBeUndefined()
    expect(made.key).toMatchObject({ name: 'cli-made', tenantSlug: 'acme', hasStoredValue: true, scopes: ['tables:read', 'storage:read'] })
    const stored = await fx.secrets.get(accounts.keyValue(instanceId, made.key.tenantId, made.key.id))
    expect(stored).toMatch(FULL_KEY)
    await remember()

    const human = await ok(['create', '--tenant', 'globex', '--name', 'cli-human', '--type', 'anon', '--scope', '*', '--expires', '90d'])
    expect(human.stdout).toMatch(/^Created cli-human \(Globex\), prefix pk_live_/)

    const piped = await ok(['create', '--tenant', 'acme', '--name', 'cli-revealed', '--scope', '*', '--reveal-once'])
    revealing.add(piped)
    await remember()
    const value = piped.stdout.trim()
    expect(value).toMatch(FULL_KEY)
    expect(piped.stdout).toBe(`${value}\n`)
    expect(issued.has(value)).toBe(true)
    expect(piped.stderr).toMatch(/warning: the new key value was written to stdout/)

    const revealedJson = await ok(['create', '--tenant', 'acme', '--name', 'cli-revealed-json', '--scope', '*', '--reveal-once', '--json'])
    revealing.add(revealedJson)
    await remember()
    const parsed = shaped(JSON_SHAPES.create, parseJson(revealedJson))
    expect(parsed.value).toMatch(FULL_KEY)
    expect(issued.has(parsed.value ?? '')).toBe(true)

    const duplicate = await fx.run(['create', '--tenant', 'acme', '--name', '', '--scope', '*'])
    expect(duplicate.code).toBe(2)
  }, T)

  it('show and history, by name (with --tenant when the name is used twice) or by id', async () => {
    const shown = await json(JSON_SHAPES.show, ['show', 'cli-made'])
    expect(shown.key.name).toBe('cli-made')
    const byId = await json(JSON_SHAPES.show, ['show', shown.key.id])
    expect(byId.key.id).toBe(shown.key.id)
    const byTriple = await json(JSON_SHAPES.show, ['show', `${shown.key.instanceId}/${shown.key.tenantId}/${shown.key.id}`])
    expect(byTriple.key.id).toBe(shown.key.id)
    const ambiguous = await fx.run(['show', 'webhook-relay'])
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stderr).toContain('--tenant')
    expect((await json(JSON_SHAPES.show, ['show', 'webhook-relay', '--tenant', 'globex'])).key.tenantSlug).toBe('globex')
    const missing = await fx.run(['show', 'no-such-key'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('ls --text')
    const human = (await ok(['show', 'cli-made'])).stdout
    expect(human).toMatch(/^name:\s+cli-made$/m)
    expect(human).toMatch(/^value stored:\s+yes/m)
    const history = await json(JSON_SHAPES.history, ['history', 'cli-made'])
    expect(history.entries.some((e) => e.source === 'local' && e.action === 'create')).toBe(true)
  }, T)

  it('update: the current server cannot, so it says so and offers --replace, which issues a new key', async () => {
    const refused = await fx.run(['update', 'cli-made', '--description', 'changed'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('--replace --name "cli-made v2" --grace 48h')
    const asJson = shaped(JSON_SHAPES.error, JSON.parse((await fx.run(['update', 'cli-made', '--description', 'changed', '--json'])).stderr))
    expect(asJson.error.code).toBe('unsupported')
    const noGrace = await fx.run(['update', 'cli-made', '--replace', '--name', 'cli-made v2'])
    expect(noGrace.code).toBe(2)
    // cli-made may use every namespace, which the server reports as it reports "default only": say which.
    const unsaid = await fx.run(['update', 'cli-made', '--replace', '--name', 'cli-made v2', '--grace', '48h'])
    expect(unsaid.code).toBe(2)
    expect(unsaid.stderr).toContain('--all-namespaces')
    const replaced = await json(JSON_SHAPES.rotate, ['update', 'cli-made', '--description', 'changed', '--replace', '--name', 'cli-made v2', '--grace', '48h', '--all-namespaces'])
    await remember()
    expect(replaced.issued.key).toMatchObject({ name: 'cli-made v2', description: 'changed', hasStoredValue: true })
    expect(replaced.issued.value).toBeUndefined()
    expect(replaced.oldKey.status).toBe('grace')
    expect(replaced.oldKey.localReplacedBy).toBe(replaced.issued.key.id)
  }, T)

  it('disable, enable, deprecate, finish, revoke and delete one key', async () => {
    await ok(['create', '--tenant', 'globex', '--name', 'cli-life', '--scope', '*'])
    await remember()
    expect((await json(JSON_SHAPES.key, ['disable', 'cli-life'])).status).toBe('disabled')
    expect((await json(JSON_SHAPES.key, ['enable', 'cli-life'])).status).toBe('active')
    const deprecated = await json(JSON_SHAPES.key, ['deprecate', 'cli-life', '--grace', '2d'])
    expect(deprecated.status).toBe('grace')
    const graceEnd = Date.parse(deprecated.localGraceEndsAt ?? '')
    expect(Math.abs(graceEnd - (Date.now() + 48 * 3_600_000))).toBeLessThan(120_000)
    expect((await json(JSON_SHAPES.key, ['finish', 'cli-life'])).status).toBe('disabled')
    const needsYes = await fx.run(['revoke', 'cli-life', '--reason', 'no longer used'])
    expect(needsYes.code).toBe(2)
    expect(needsYes.stderr).toContain('--yes')
    const shortReason = await fx.run(['revoke', 'cli-life', '--reason', 'no', '--yes'])
    expect(shortReason.code).toBe(2)
    const revoked = await json(JSON_SHAPES.key, ['revoke', 'cli-life', '--reason', 'no longer used', '--yes'])
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'no longer used' })
    expect((await fx.run(['enable', 'cli-life'])).code).toBe(1)
    const deleted = await json(JSON_SHAPES.delete, ['delete', 'cli-life', '--yes'])
    expect(deleted.name).toBe('cli-life')
    expect((await rows('--text', 'cli-life')).total).toBe(0)
    // An enabled key is not deleted without --force.
    await ok(['create', '--tenant', 'globex', '--name', 'cli-enabled', '--scope', '*'])
    await remember()
    expect((await fx.run(['delete', 'cli-enabled', '--yes'])).code).toBe(1)
    await ok(['delete', 'cli-enabled', '--yes', '--force'])
  }, T)

  it('rotate across tenants: a dry run changes nothing, --yes rotates each active match, check then fails with 6', async () => {
    for (const tenant of ['acme', 'globex', 'default']) await ok(['create', '--tenant', tenant, '--name', 'ci-deploy', '--scope', 'functions:execute'])
    await remember()
    const noFilter = await fx.run(['rotate', '--grace', '48h', '--yes'])
    expect(noFilter.code).toBe(2)
    const before = await rows('--text', 'ci-deploy')
    const dry = await json(JSON_SHAPES.dryRun, ['rotate', '--text', 'ci-deploy', '--grace', '48h', '--dry-run'])
    expect(dry.changes).toHaveLength(3)
    expect(dry.changes.every((c) => c.from === 'active' && c.to === 'grace' && c.skip === null)).toBe(true)
    expect(await rows('--text', 'ci-deploy')).toEqual(before)
    const dryText = (await ok(['rotate', '--text', 'ci-deploy', '--grace', '48h', '--dry-run'])).stdout
    expect(dryText).toContain('Dry run: 3 keys would be rotated (grace 48h)')
    const noYes = await fx.run(['rotate', '--text', 'ci-deploy', '--grace', '48h'])
    expect(noYes.code).toBe(2)
    const done = await json(JSON_SHAPES.bulk, ['rotate', '--text', 'ci-deploy', '--grace', '48h', '--yes'])
    await remember()
    expect(done.results).toHaveLength(3)
    expect(done.results.every((r) => r.ok && !r.skipped && r.newKey?.name === 'ci-deploy (rotated)' && r.newKey.hasStoredValue)).toBe(true)
    const after = await rows('--text', 'ci-deploy')
    expect(after.rows.filter((k) => k.name === 'ci-deploy').every((k) => k.status === 'grace')).toBe(true)
    expect(after.rows.filter((k) => k.name === 'ci-deploy (rotated)')).toHaveLength(3)
    // A second pass finds the new keys active and the old ones skipped.
    const again = await json(JSON_SHAPES.dryRun, ['rotate', '--text', 'ci-deploy', '--grace', '48h', '--dry-run'])
    expect(again.changes.filter((c) => c.skip)).toHaveLength(3)

    const check = await fx.run(['check', '--within', '72h', '--json'])
    expect(check.code).toBe(6)
    const report = shaped(JSON_SHAPES.check, parseJson(check))
    expect(report.ok).toBe(false)
    expect(report.graceEnding.filter((k) => k.name === 'ci-deploy')).toHaveLength(3)
    const human = await fx.run(['check', '--within', '72h'])
    expect(human.code).toBe(6)
    expect(human.stdout).toMatch(/^FAIL: \d+ grace periods end/m)
    // A narrower window and scope can pass.
    const quiet = await fx.run(['check', '--within', '1h', '--tenant', 'globex', '--json'])
    const q = shaped(JSON_SHAPES.check, parseJson(quiet))
    expect(quiet.code).toBe(q.ok ? 0 : 6)
  }, T)

  it('bulk deprecate and revoke are the core bulk actions, previewed first; finish takes a filter too', async () => {
    const dry = await json(JSON_SHAPES.dryRun, ['revoke', '--tenant', 'globex', '--text', 'cli-human', '--reason', 'bulk test', '--dry-run'])
    expect(dry).toMatchObject({ action: 'revoke', changes: [{ name: 'cli-human', to: 'revoked', skip: null }] })
    const revoked = await json(JSON_SHAPES.bulk, ['revoke', '--tenant', 'globex', '--text', 'cli-human', '--reason', 'bulk test', '--yes'])
    expect(revoked.results).toMatchObject([{ name: 'cli-human', ok: true, skipped: false }])
    const deprecated = await json(JSON_SHAPES.bulk, ['deprecate', '--text', 'cli-revealed', '--grace', '1w', '--yes'])
    expect(deprecated.results).toHaveLength(2)
    expect(deprecated.results.every((r) => r.ok)).toBe(true)
    const finish = await json(JSON_SHAPES.dryRun, ['finish', '--text', 'cli-revealed', '--dry-run'])
    expect(finish.changes.every((c) => c.to === 'disabled')).toBe(true)
    const finished = await json(JSON_SHAPES.bulk, ['finish', '--text', 'cli-revealed', '--yes'])
    expect(finished.results.every((r) => r.ok && !r.skipped)).toBe(true)
  }, T)

  it('a bulk action where some keys fail exits 5 and names them', async () => {
    await ok(['create', '--tenant', 'acme', '--name', 'cli-bulk-1', '--scope', '*'])
    await ok(['create', '--tenant', 'acme', '--name', 'cli-bulk-2', '--scope', '*'])
    await remember()
    const target = (await rows('--text', 'cli-bulk-2')).rows[0]
    fx.emulator.setFaults([{ method: 'POST', path: `^/api/v1/admin/service-keys/${target?.id ?? ''}/disable$`, kind: 'status500', count: 50 }])
    const partial = await fx.run(['disable', '--text', 'cli-bulk-', '--yes', '--json'])
    fx.emulator.setFaults([])
    expect(partial.code).toBe(5)
    const result = shaped(JSON_SHAPES.bulk, parseJson(partial))
    expect(result.results.find((r) => r.name === 'cli-bulk-1')).toMatchObject({ ok: true })
    expect(result.results.find((r) => r.name === 'cli-bulk-2')).toMatchObject({ ok: false })
  }, T)

  it('export writes the file --output names, and refuses to replace one without --force', async () => {
    const file = join(fx.dataDir, 'export-test.csv')
    const saved = await json(JSON_SHAPES.export, ['export', '--output', file, '--tenant', 'acme'])
    expect(saved.path).toBe(file)
    expect(readFileSync(file, 'utf8').split('\r\n')[0]).toBe(EXPORT_COLUMNS.join(','))
    const again = await fx.run(['export', '--output', file])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('--force')
    const replaced = await json(JSON_SHAPES.export, ['export', '--output', file, '--force', '--format', 'json'])
    expect(replaced.rows).toBeGreaterThan(saved.rows)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'fluxbase-keys.inventory/1', count: replaced.rows })
  }, T)

  it('sync with a tenant failing exits 5 (partial), and check warns that its data may be stale', async () => {
    const acme = fx.emulator.tenants.find((t) => t.slug === 'acme')
    fx.emulator.setTenantDatabaseDown(acme?.id ?? '', true)
    const partial = await fx.run(['sync'])
    fx.emulator.setTenantDatabaseDown(acme?.id ?? '', false)
    expect(partial.code).toBe(5)
    expect(partial.stderr).toMatch(/failed: Emulator \/ Acme/)
    const check = await fx.run(['check', '--within', '1m', '--tenant', 'acme'])
    expect(check.stderr).toContain('Acme was not synced successfully')
    await ok(['sync', '--quiet'])
  }, T)

  it('sync with a credential the server refuses exits 3', async () => {
    const account = accounts.instanceCredential(instanceId)
    const entry = await fx.secrets.get(account)
    const broken = JSON.parse(entry ?? '{}') as { credential: { password: string } }
    broken.credential.password = 'not-the-password'
    await fx.secrets.set(account, JSON.stringify(broken))
    try {
      const refused = await fx.run(['sync', '--json'])
      expect(refused.code).toBe(3)
    } finally {
      await fx.secrets.set(account, entry ?? '')
    }
  }, T)

  it('completion prints bash, zsh and fish scripts from the command tree', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const script = (await ok(['completion', shell])).stdout
      for (const command of ['instances', 'rotate', 'check', 'completion']) expect(script).toContain(command)
    }
    expect((await fx.run(['completion', 'tcsh'])).code).toBe(2)
  }, T)

  it('no secret in any output or in the data dir, except the --reveal-once values on their own stdout', async () => {
    await remember()
    const { password } = fx.emulator.credentials.instanceAdmin
    expect(issued.size).toBeGreaterThanOrEqual(10)
    for (const run of fx.runs) {
      const visible = revealing.has(run) ? run.stderr : run.stdout + run.stderr
      expect(visible.includes(password), `password in ${run.args.join(' ')}`).toBe(false)
      for (const value of issued) expect(visible.includes(value), `a key value in ${run.args.join(' ')}`).toBe(false)
    }
    const files = filesUnder(fx.dataDir)
    expect(files.some((f) => f.endsWith('inventory.sqlite'))).toBe(true)
    for (const file of files) {
      const bytes = readFileSync(file).toString('latin1')
      expect(bytes.includes(password), file).toBe(false)
      expect(FULL_KEY.test(bytes), file).toBe(false)
      for (const value of issued) expect(bytes.includes(value), file).toBe(false)
    }
  }, T)

  it('instances remove takes the keychain entries with it; an unreachable server makes sync exit 4', async () => {
    const stored = (await fx.secrets.list('key:')).length
    expect(stored).toBeGreaterThan(0)
    const noYes = await fx.run(['instances', 'remove', 'Emulator'])
    expect(noYes.code).toBe(2)
    const removed = await json(JSON_SHAPES.instancesRemove, ['instances', 'remove', 'Emulator', '--yes'])
    expect(removed.removedSecrets).toBe(stored + 1)
    expect(await fx.secrets.list('')).toEqual([])
    expect(await json(JSON_SHAPES.instancesList, ['instances', 'list'])).toEqual([])

    await fx.onboard()
    await fx.emulator.close()
    const offline = await fx.run(['sync'])
    expect(offline.code).toBe(4)
    expect(existsSync(join(fx.dataDir, 'inventory.sqlite'))).toBe(true)
  }, T)
})
