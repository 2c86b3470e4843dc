// The data directory holds the inventory, its safety state and the log: nothing secret, but it
// says which tenants and keys exist. Owner-only, and files left wider by an older version, a
// restore from backup or a careless copy are tightened at every start.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  tighten(dir, 0)
}

function tighten(path: string, depth: number): void {
  const stat = lstatSync(path)
  // A symlink is not followed: whatever it points at is not ours to change.
  if (stat.isSymbolicLink()) return
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700)
    if (depth < 2) for (const name of readdirSync(path)) tighten(join(path, name), depth + 1)
  } else if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    chmodSync(path, 0o600)
  }
}
