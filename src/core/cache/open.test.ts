import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CacheTooNewError, openCache, SCHEMA_VERSION, type Cache } from './index'
import { migrate, MIGRATIONS } from './migrations'
import { instance, serverKey, tempDir, uuidOf, replaceTenantKeys } from '../../../test/support/cache-fixtures'

const mode = (p: string) => fs.statSync(p).mode & 0o777
const opened: Cache[] = []
const open = (file: string, log?: (m: string) => void) => {
  const c = openCache(file, { log })
  opened.push(c)
  return c
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()))
})

function seed(c: Cache): void {
  c.upsertInstance(instance('i1'))
  c.upsertTenants('i1', [{ id: uuidOf(1, 1), slug: 'a', name: 'A', isDefault: true }])
  replaceTenantKeys(c, 'i1', uuidOf(1, 1), [serverKey({ id: uuidOf(1, 2) })], '2026-01-01T00:00:00Z')
}

describe('openCache', () => {
  it('a cache from before scopes were searchable (version 5) finds its keys by scope after the upgrade', async () => {
    const file = path.join(tempDir(), 'v5.sqlite')
    const old = openCache(file)
    seed(old)
    replaceTenantKeys(old, 'i1', uuidOf(1, 1), [serverKey({ id: uuidOf(1, 3), name: 'plain', scopes: ['storage:write'] })], '2026-01-01T00:00:00Z')
    await old.close()
    // Back to version 5: its full-text table (no scopes column), no tenant counts.
    const raw = new Database(file)
    raw.exec(`DROP TABLE tenant_counts; DROP TRIGGER keys_fts_insert; DROP TRIGGER keys_fts_delete; DROP TRIGGER keys_fts_update; DROP TABLE keys_fts;
      CREATE VIRTUAL TABLE keys_fts USING fts5 (name, key_prefix, description, tokenize = 'trigram', content = '', contentless_delete = 1);
      INSERT INTO keys_fts (rowid, name, key_prefix, description) SELECT rid, name, key_prefix, COALESCE(description, '') FROM keys;
      CREATE TRIGGER keys_fts_insert AFTER INSERT ON keys BEGIN
        INSERT INTO keys_fts (rowid, name, key_prefix, description) VALUES (new.rid, new.name, new.key_prefix, COALESCE(new.description, '')); END;
      CREATE TRIGGER keys_fts_delete AFTER DELETE ON keys BEGIN DELETE FROM keys_fts WHERE rowid = old.rid; END;
      CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, key_prefix, description ON keys BEGIN
        DELETE FROM keys_fts WHERE rowid = old.rid;
        INSERT INTO keys_fts (rowid, name, key_prefix, description) VALUES (new.rid, new.name, new.key_prefix, COALESCE(new.description, '')); END;`)
    raw.pragma('user_version = 5')
    expect(migrate(raw, file, MIGRATIONS.slice(0, 5))).toEqual([])
    raw.close()
    const logs: string[] = []
    const c = open(file, (m) => logs.push(m))
    expect(logs.some((m) => m.includes('applied migrations 6, 7'))).toBe(true)
    const found = c.queryInventory({ text: 'storage:wri' }, Date.now()).rows.map((r) => r.name)
    expect(found).toEqual(['plain'])
    // Kept in step afterwards: a later write with other scopes is found by them.
    replaceTenantKeys(c, 'i1', uuidOf(1, 1), [serverKey({ id: uuidOf(1, 3), name: 'plain', scopes: ['functions:invoke'] })], '2026-01-02T00:00:00Z')
    expect(c.queryInventory({ text: 'storage:wri' }, Date.now()).rows).toEqual([])
    expect(c.queryInventory({ text: 'functions:inv' }, Date.now()).rows.map((r) => r.name)).toEqual(['plain'])
  })

  it('several processes opening one new file at once all succeed (the schema is created once)', async () => {
    const file = path.join(tempDir(), 'shared', 'cache.sqlite')
    const child = path.resolve(__dirname, '../../../test/support/open-cache-child.ts')
    const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx')
    // Every child opens at the same moment, after all have started (tsx takes ~1 s to start).
    const startAt = String(Date.now() + 4000)
    const runs = Array.from({ length: 6 }, () => new Promise<string>((resolve) => {
      execFile(tsx, [child, file, startAt], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve(error && !stdout ? `error: ${stderr || error.message}` : stdout.trim()))
    }))
    expect(await Promise.all(runs)).toEqual(Array(6).fill('ok'))
    const c = open(file)
    expect(c.recovery).toBeNull()
  }, 90_000)

  it('creates the directory (0700) and the file (0600), applies migrations once, and runs in WAL mode', async () => {
    const file = path.join(tempDir(), 'nested', 'deeper', 'cache.sqlite')
    const logs: string[] = []
    const c = open(file, (m) => logs.push(m))
    expect(c.recovery).toBeNull()
    expect(mode(path.dirname(file))).toBe(0o700)
    expect(mode(file)).toBe(0o600)
    expect(logs.some((m) => m.includes('applied migrations 1'))).toBe(true)
    seed(c)
    // -wal and -shm exist while the connection is open and after a write.
    for (const s of ['-wal', '-shm']) {
      expect(fs.existsSync(file + s)).toBe(true)
      expect(mode(file + s)).toBe(0o600)
    }
    await c.close()
    const raw = new Database(file, { readonly: true })
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()

    const again: string[] = []
    const c2 = open(file, (m) => again.push(m))
    expect(again.filter((m) => m.includes('migrations'))).toEqual([])
    expect(c2.listInstances().map((i) => i.id)).toEqual(['i1'])
    expect(c2.getKey({ instanceId: 'i1', tenantId: uuidOf(1, 1), keyId: uuidOf(1, 2) })?.name).toBeTruthy()
  })

  it('tightens the mode of an existing file', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    await open(file).close()
    fs.chmodSync(file, 0o644)
    open(file)
    expect(mode(file)).toBe(0o600)
  })

  it('refuses a file from a newer schema without touching it', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const c = open(file)
    seed(c)
    await c.close()
    const raw = new Database(file)
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    raw.close()
    const before = fs.readFileSync(file)
    expect(() => openCache(file)).toThrow(CacheTooNewError)
    expect(() => openCache(file)).toThrow(/newer version/)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
    expect(fs.readdirSync(path.dirname(file)).some((n) => n.includes('corrupt'))).toBe(false)
  })

  it('moves a garbage file aside and starts a fresh, usable cache', () => {
    const dir = tempDir()
    const file = path.join(dir, 'c.sqlite')
    const garbage = Buffer.alloc(64 * 1024)
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff
    fs.writeFileSync(file, garbage)
    fs.writeFileSync(`${file}-wal`, Buffer.from('stale wal'))
    const logs: string[] = []
    const c = open(file, (m) => logs.push(m))
    expect(c.recovery).not.toBeNull()
    const movedTo = c.recovery?.movedTo ?? ''
    expect(movedTo.startsWith(`${file}.corrupt-`)).toBe(true)
    expect(fs.readFileSync(movedTo).equals(garbage)).toBe(true)
    // SQLite itself discards a -wal with an invalid header; either way it must not survive
    // next to the fresh file.
    if (fs.existsSync(`${file}-wal`)) expect(fs.readFileSync(`${file}-wal`, 'utf8')).not.toBe('stale wal')
    expect(c.recovery?.reason).toMatch(/^The cache file was unreadable .* and was moved to .*; it will be rebuilt from your servers on the next sync\.$/)
    expect(logs.some((m) => m.includes('moved to'))).toBe(true)
    expect(mode(file)).toBe(0o600)
    seed(c)
    expect(c.listTenants('i1')).toHaveLength(1)
  })

  it('recovers from a truncated database', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const c = open(file)
    seed(c)
    c.upsertTenants('i1', Array.from({ length: 50 }, (_, t) => ({ id: uuidOf(2, t), slug: `s${t}`, name: `T${t}`, isDefault: false })))
    for (let t = 0; t < 50; t++) {
      replaceTenantKeys(c, 'i1', uuidOf(2, t), Array.from({ length: 40 }, (_, k) => serverKey({ id: uuidOf(3 + t, k), description: 'x'.repeat(200) })), 'now')
    }
    await c.close()
    const size = fs.statSync(file).size
    fs.truncateSync(file, Math.floor(size / 2))
    const c2 = open(file)
    expect(c2.recovery?.movedTo).toContain('.corrupt-')
    expect(c2.listInstances()).toEqual([])
  })
})

describe('checkpoints in a worker thread', () => {
  it('folds the WAL back into the file while the app keeps writing, and at close', async () => {
    const file = path.join(tempDir(), 'ckpt.sqlite')
    const logs: string[] = []
    const c = open(file, (m) => logs.push(m))
    seed(c)
    const tenant = uuidOf(1, 1)
    for (let i = 0; i < 200; i++) {
      replaceTenantKeys(c, 'i1', tenant, Array.from({ length: 20 }, (_, k) => serverKey({ id: uuidOf(2, k), name: `k${k}-${i}` })), `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`)
    }
    // The worker checkpoints every 200 ms while the app writes on: soon the main file alone
    // (a copy without the WAL) holds the last names. Polled, not slept: on a loaded machine
    // the worker thread takes a while to start.
    const copy = path.join(tempDir(), 'main-file-only.sqlite')
    const lastNamesInMainFile = (): number => {
      fs.copyFileSync(file, copy)
      const raw = new Database(copy, { readonly: true })
      try {
        return (raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'keys'").get() as { n: number }).n === 0
          ? 0
          : (raw.prepare('SELECT count(*) AS n FROM keys WHERE name LIKE ?').get('%-199') as { n: number }).n
      } finally {
        raw.close()
        fs.rmSync(copy, { force: true })
      }
    }
    await vi.waitFor(() => expect(lastNamesInMainFile()).toBe(20), { timeout: 20_000, interval: 100 })
    await c.close()
    expect(fs.existsSync(file + '-wal') ? fs.statSync(file + '-wal').size : 0).toBe(0)
    expect(logs.filter((m) => m.includes('checkpoint'))).toEqual([])
  })
})
