// Integration tests against a real Secret Service: run inside scripts/with-keyring.sh.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp'
import { accounts, createKeytarStore, removeInstanceSecrets, SecretStoreError, type SecretStore } from './index'

const exec = promisify(execFile)
const root = resolve(__dirname, '../../..')
const tsx = join(root, 'node_modules/.bin/tsx')
const child = join(__dirname, '../../../test/support/secrets/keychain-child.ts')

// A service name of our own, so parallel test files sharing the keyring never see each other.
const service = `Fluxbase Keys test ${process.pid}-${Date.now()}`
let store: SecretStore

beforeAll(() => {
  if (process.env.FLUXBASE_KEYS_IN_KEYRING !== '1') {
    // Never touch the operator's real keychain.
    throw new Error('Keychain tests must run inside scripts/with-keyring.sh (npm run test:unit does this).')
  }
  store = createKeytarStore({ service })
})

afterAll(async () => {
  if (!store) return
  for (const account of await store.list()) await store.delete(account)
})

describe('keytar store on a real Secret Service', () => {
  it('sets, gets, overwrites and deletes', async () => {
    const account = accounts.instanceCredential('inst-a')
    expect(await store.get(account)).toBeNull()
    await store.set(account, JSON.stringify({ kind: 'password', password: 'p4ss' }))
    expect(JSON.parse((await store.get(account)) ?? 'null')).toEqual({ kind: 'password', password: 'p4ss' })
    await store.set(account, 'second')
    expect(await store.get(account)).toBe('second')
    expect(await store.delete(account)).toBe(true)
    expect(await store.get(account)).toBeNull()
    expect(await store.delete(account)).toBe(false)
  })

  it('round-trips unicode values and 52-character keys exactly', async () => {
    const unicode = 'pässwörd ✓ 鍵 🔑 Ωμέγα, "quotes", \\ backslash, \t tab and\nnewline'
    const key52 = 'fbk_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4'
    expect(key52).toHaveLength(52)
    const a = accounts.keyValue('inst-u', 't-1', 'k-1')
    const b = accounts.keyValue('inst-u', 't-1', 'k-2')
    await store.set(a, unicode)
    await store.set(b, key52)
    expect(await store.get(a)).toBe(unicode)
    expect(await store.get(b)).toBe(key52)
  })

  it('lists account names by prefix and never values', async () => {
    await store.set(accounts.instanceCredential('inst-l'), 'secret-credential-value')
    await store.set(accounts.instanceSession('inst-l'), 'secret-session-value')
    await store.set(accounts.keyValue('inst-l', 'ten', 'key'), 'secret-key-value')
    await store.set(accounts.instanceCredential('inst-l2'), 'other-instance-value')

    expect(await store.list(accounts.instancePrefix('inst-l'))).toEqual(['instance:inst-l:admin', 'instance:inst-l:session'])
    expect(await store.list(accounts.keyPrefix('inst-l'))).toEqual(['key:inst-l:ten:key'])
    const all = await store.list()
    expect(all).toContain('instance:inst-l2:admin')
    expect(all.some((a) => a.includes('unlock-check'))).toBe(false)
    expect(JSON.stringify(all)).not.toMatch(/secret-|other-instance-value/)
    expect(await store.list('nothing-starts-with-this:')).toEqual([])
  })

  it('removeInstanceSecrets removes only that instance', async () => {
    await store.set(accounts.instanceCredential('rm-a'), 'a1')
    await store.set(accounts.instanceSession('rm-a'), 'a2')
    await store.set(accounts.keyValue('rm-a', 't', 'k'), 'a3')
    // 'rm-a:x' would share a naive prefix with 'rm-a'; the encoding keeps them apart.
    await store.set(accounts.instanceCredential('rm-a:x'), 'b1')
    await store.set(accounts.keyValue('rm-a:x', 't', 'k'), 'b2')
    await store.set(accounts.instanceCredential('rm-ab'), 'c1')
    await store.set(accounts.keyValue('rm-ab', 't', 'k'), 'c2')

    expect(await removeInstanceSecrets(store, 'rm-a')).toBe(3)
    expect(await store.list(accounts.instancePrefix('rm-a'))).toEqual([])
    expect(await store.list(accounts.keyPrefix('rm-a'))).toEqual([])
    expect(await store.get(accounts.instanceCredential('rm-a:x'))).toBe('b1')
    expect(await store.get(accounts.keyValue('rm-a:x', 't', 'k'))).toBe('b2')
    expect(await store.get(accounts.instanceCredential('rm-ab'))).toBe('c1')
    expect(await store.get(accounts.keyValue('rm-ab', 't', 'k'))).toBe('c2')
    expect(await removeInstanceSecrets(store, 'rm-a')).toBe(0)
  })

  it('refuses values the keychain would store wrongly (empty, or cut at a NUL)', async () => {
    await expect(store.set(accounts.instanceSession('empty'), '')).rejects.toMatchObject({ kind: 'failed' })
    await expect(store.set(accounts.instanceSession('nul'), 'before\0after')).rejects.toMatchObject({ kind: 'failed' })
    expect(await store.list(accounts.instancePrefix('nul'))).toEqual([])
  })

  it('stores entries under the service name, visible to secret-tool', async () => {
    const account = accounts.instanceCredential('visible')
    await store.set(account, 'seen-by-secret-tool')
    const { stdout, stderr } = await exec('secret-tool', ['search', '--all', 'service', service])
    const out = stdout + stderr
    expect(out).toContain(`attribute.account = ${account}`)
    expect(out).toContain(`attribute.service = ${service}`)
  })

  it('uses "Fluxbase Keys" as the default service name', async () => {
    const defaultStore = createKeytarStore()
    const account = `test:${process.pid}:${Date.now()}:default-service`
    await defaultStore.set(account, 'v')
    try {
      const { stdout } = await exec('secret-tool', ['lookup', 'service', 'Fluxbase Keys', 'account', account])
      expect(stdout).toBe('v')
    } finally {
      await defaultStore.delete(account)
    }
  })
})

interface ChildLine { op: string; ok: boolean; result?: unknown; kind?: string; message?: string; detail?: string }
const parseLines = (stdout: string): ChildLine[] =>
  stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ChildLine)

describe('error mapping in real failing environments (child processes)', () => {
  let dir: string
  beforeAll(() => { dir = tempDir('fbk-secrets-') })
  // A minimal environment: no session bus, no display, a throwaway data dir.
  const bareEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, XDG_DATA_HOME: dir })

  it('without a D-Bus session: unavailable, with an actionable message, for every operation', async () => {
    const { stdout } = await exec(tsx, [child, service, 'get', 'set', 'delete', 'list'], { env: bareEnv(), cwd: root })
    const lines = parseLines(stdout)
    expect(lines.map((l) => l.op)).toEqual(['get', 'set', 'delete', 'list'])
    for (const line of lines) {
      expect(line).toMatchObject({ ok: false, kind: 'unavailable' })
      expect(line.message).toBe('No keychain is available: install and unlock a Secret Service such as GNOME Keyring or KWallet, then try again.')
      expect(line.detail).toMatch(/Cannot autolaunch D-Bus/)
    }
    expect(stdout).not.toContain('child-secret-value')
  })

  it('with a session bus but no Secret Service: unavailable', async () => {
    const conf = join(dir, 'bare-bus.conf')
    writeFileSync(conf, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${dir}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`)
    const { stdout } = await exec('dbus-run-session', [`--config-file=${conf}`, '--', tsx, child, service, 'set', 'list'], { env: bareEnv(), cwd: root })
    const lines = parseLines(stdout)
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).toMatchObject({ ok: false, kind: 'unavailable' })
      expect(line.detail).toMatch(/org\.freedesktop\.secrets/)
    }
  })

  it('with a locked keyring: locked, and list does not crash on locked items', async () => {
    // A private bus and keyring: seed an entry, lock the collection, then try again.
    const script = `
      printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
      "${tsx}" "${child}" "${service}" set
      dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \\
        org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
      "${tsx}" "${child}" "${service}" get list set`
    const { stdout } = await exec('dbus-run-session', ['--', 'bash', '-c', script], { env: { ...bareEnv(), XDG_DATA_HOME: join(dir, 'locked') }, cwd: root })
    const [seed, ...after] = parseLines(stdout)
    expect(seed).toMatchObject({ op: 'set', ok: true })
    expect(after.map((l) => l.op)).toEqual(['get', 'list', 'set'])
    for (const line of after) {
      expect(line).toMatchObject({ ok: false, kind: 'locked' })
      expect(line.message).toMatch(/^The keychain is locked/)
    }
  })

  it('with the native module missing: unavailable, not a crash at import', async () => {
    const env = { ...bareEnv(), NODE_OPTIONS: `-r ${join(__dirname, '../../../test/support/secrets/hide-keytar.cjs')}` }
    const { stdout } = await exec(tsx, [child, service, 'get'], { env, cwd: root })
    const [line] = parseLines(stdout)
    expect(line).toMatchObject({ op: 'get', ok: false, kind: 'unavailable' })
    expect(line?.message).toMatch(/keytar\) could not be loaded/)
  })
})

describe('SecretStoreError', () => {
  it('is an Error with a kind', () => {
    const err = new SecretStoreError('locked', 'unlock it')
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('SecretStoreError')
    expect(err.kind).toBe('locked')
  })
})

describe('concurrent use', () => {
  it('survives searches, reads, writes and deletes at the same time (libsecret is not safe for that unqueued)', async () => {
    const store = createKeytarStore({ service: `Fluxbase Keys test concurrency ${Date.now()}` })
    const ops: Array<Promise<unknown>> = []
    for (let i = 0; i < 40; i++) {
      ops.push(store.set(`key:c:${i % 5}`, `value-${i}`))
      ops.push(store.list('key:'))
      ops.push(store.get(`key:c:${(i + 2) % 5}`))
      if (i % 3 === 0) ops.push(store.delete(`key:c:${(i + 1) % 5}`))
    }
    await Promise.all(ops)
    for (const account of await store.list()) await store.delete(account)
    expect(await store.list()).toEqual([])
  }, 60_000)
})
