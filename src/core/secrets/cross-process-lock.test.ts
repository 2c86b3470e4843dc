// The keychain's cross-process lock file (cross-process-lock.ts), over an in-memory store.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp'
import { keychainLockFile, lockedKeychain } from './cross-process-lock'
import type { SecretStore } from './store'

function memoryStore(onCall: () => void): SecretStore {
  const items = new Map<string, string>()
  return {
    async get(account) { onCall(); return items.get(account) ?? null },
    async set(account, value) { onCall(); items.set(account, value) },
    async delete(account) { onCall(); return items.delete(account) },
    async list(prefix = '') { onCall(); return [...items.keys()].filter((a) => a.startsWith(prefix)) }
  }
}

describe('lockedKeychain', () => {
  it('every call runs while this process holds the lock file, and the file is gone after', async () => {
    const file = keychainLockFile(tempDir('fbk-lock-'))
    const holders: string[] = []
    const store = lockedKeychain(memoryStore(() => holders.push(readFileSync(file, 'utf8'))), file)
    await Promise.all([store.set('a', '1'), store.get('a'), store.list(), store.delete('a')])
    expect(holders).toEqual(Array(4).fill(String(process.pid)))
    expect(existsSync(file)).toBe(false)
  })

  it('waits for a live holder (another process) and goes once it lets go', async () => {
    const file = keychainLockFile(tempDir('fbk-lock-'))
    // The parent of this process is alive and is not us: it stands for the other process.
    writeFileSync(file, String(process.ppid))
    let ran = false
    const store = lockedKeychain(memoryStore(() => { ran = true }), file)
    const call = store.get('x')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(ran).toBe(false)
    rmSync(file)
    await call
    expect(ran).toBe(true)
  })

  it('takes over a lock whose process died (kill -9 mid-call)', async () => {
    const file = keychainLockFile(tempDir('fbk-lock-'))
    writeFileSync(file, '2147483646') // no such pid
    const store = lockedKeychain(memoryStore(() => undefined), file)
    await expect(store.set('a', '1')).resolves.toBeUndefined()
    expect(existsSync(file)).toBe(false)
  })

  it('a failing call releases the lock and does not stop the next one', async () => {
    const file = keychainLockFile(tempDir('fbk-lock-'))
    let first = true
    const store = lockedKeychain(memoryStore(() => {
      if (first) { first = false; throw new Error('keychain refused') }
    }), file)
    await expect(store.get('a')).rejects.toThrow('keychain refused')
    expect(existsSync(file)).toBe(false)
    await expect(store.get('a')).resolves.toBeNull()
  })
})
