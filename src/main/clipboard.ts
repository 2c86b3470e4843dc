// The clipboard for the core, over Electron's clipboard (injected, so the logic is unit-tested with
// a fake object; the real system clipboard cannot be exercised on this machine).
//
// Electron 45's clipboard is asynchronous (readText(): Promise<string>, writeText(): Promise<void>,
// clear(): void), so this port is too. It remembers only a SHA-256 digest of the value it wrote,
// never the value, and clears only while the clipboard still holds that value: it never wipes
// something the operator copied since. Besides the core's own timer, every write arms a safety-net
// clear (the configured delay plus a second), and quit clears too, so a secret cannot outlive its
// delay even if a caller forgets to clear.
import { createHash } from 'node:crypto'

/** The three methods of Electron's `clipboard` we use (sync or async, both accepted). */
export interface SystemClipboard {
  writeText(text: string): Promise<void> | void
  readText(): Promise<string> | string
  clear(): void
}

/** What the core gets: the ClipboardPort, asynchronous. */
export interface AsyncClipboardPort {
  writeText(text: string): Promise<void>
  readText(): Promise<string>
  clear(): void
}

export interface GuardedClipboard extends AsyncClipboardPort {
  /** Clears only if the clipboard still holds the last value we wrote (quit). Resolves with whether it cleared. */
  clearIfOurs(): Promise<boolean>
  /** Cancels pending safety-net timers (shutdown). */
  dispose(): void
}

export interface ClipboardOptions {
  /** The operator's clear delay in ms (settings.clipboardClearSeconds), read at each write. */
  clearAfterMs: () => Promise<number> | number
  /** Added to the delay so the core's own timer normally clears first and reports it. */
  safetyMarginMs?: number
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout }
  /** Called when the safety net cleared a value (the core's timer did not). */
  onSafetyClear?: () => void
}

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

export function createClipboard(system: SystemClipboard, options: ClipboardOptions): GuardedClipboard {
  const timers = options.timers ?? globalThis
  const margin = options.safetyMarginMs ?? 1000
  let ours: string | null = null
  const pending = new Set<ReturnType<typeof setTimeout>>()

  const holds = async (hash: string): Promise<boolean> => digest(await system.readText()) === hash

  const port: GuardedClipboard = {
    async writeText(text) {
      await system.writeText(text)
      const hash = digest(text)
      ours = hash
      const delay = Math.max(0, await options.clearAfterMs()) + margin
      const timer = timers.setTimeout(() => {
        pending.delete(timer)
        void holds(hash).then((still) => {
          if (!still) return
          port.clear()
          options.onSafetyClear?.()
        }, () => undefined)
      }, delay)
      pending.add(timer)
    },
    readText: async () => system.readText(),
    clear() {
      system.clear()
      ours = null
    },
    async clearIfOurs() {
      const hash = ours
      if (hash === null || !(await holds(hash))) return false
      port.clear()
      return true
    },
    dispose() {
      for (const timer of pending) timers.clearTimeout(timer)
      pending.clear()
    }
  }
  return port
}
