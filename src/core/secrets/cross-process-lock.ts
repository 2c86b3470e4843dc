// One keychain call at a time across processes on the same data dir. keytar's findCredentials
// crashes the whole process (a segfault in libsecret) when another process deletes an item of
// the same service meanwhile, and every start of the core writes and deletes an unlock-check
// item before listing: two CLI runs started together (xargs -P, parallel CI steps), or the CLI
// and the app, brought each other down. Each call of the keytar store therefore runs under a
// lock file in the data dir (and an in-process queue); the app and the CLI both take it.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { SecretStore } from './store'

const WAIT_MS = 20_000

/** The lock file of a data dir's keychain calls (the app and the CLI agree on it). */
export const keychainLockFile = (dataDir: string): string => join(dataDir, 'keychain.lock')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function holderGone(file: string): boolean {
  let pid: number
  try {
    pid = Number(readFileSync(file, 'utf8'))
  } catch {
    return false
  }
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Takes the lock file (created exclusively, holding our pid); a lock whose process died is taken over. */
async function acquire(file: string): Promise<() => void> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (holderGone(file)) {
      rmSync(file, { force: true })
      continue
    }
    // A holder that never lets go must not stop the operator: go ahead unlocked, as before.
    if (Date.now() > deadline) return () => undefined
    await sleep(10 + Math.random() * 30)
  }
}

export function lockedKeychain(inner: SecretStore, lockFile: string): SecretStore {
  let queue: Promise<unknown> = Promise.resolve()
  const locked = <T>(call: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      const release = await acquire(lockFile)
      try {
        return await call()
      } finally {
        release()
      }
    })
    queue = run.catch(() => undefined)
    return run
  }
  return {
    get: (account) => locked(() => inner.get(account)),
    set: (account, value) => locked(() => inner.set(account, value)),
    delete: (account) => locked(() => inner.delete(account)),
    list: (prefix) => locked(() => inner.list(prefix))
  }
}
