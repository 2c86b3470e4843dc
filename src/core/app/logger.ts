import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type Log = (line: string) => void

/**
 * A plain append-only log file (0600). Callers pass facts (ids, names, counts, error
 * sentences), never values; the leak-scan test reads this file to prove it.
 */
export function fileLogger(file: string, echo?: Log): Log {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  return (line) => {
    const stamped = `${new Date().toISOString()} ${line}`
    try {
      appendFileSync(file, stamped + '\n', { mode: 0o600 })
    } catch {
      // A log that cannot be written must never break an operation.
    }
    echo?.(stamped)
  }
}
