// The app lock as the UI holds it. The core decides (it refuses every action while locked and
// says so on app.status); this store only mirrors lock.status so the lock screen can replace
// everything, and tells the core now and then that the operator is at the keyboard.
import type { OpOutput } from '../../../shared/contract'
import { api, onLockedError } from './api'

export type LockStatus = OpOutput<'lock.status'>

/**
 * lock.touch at most this often: the idle timer counts minutes, not keystrokes. The core counts
 * only these touches and actions as activity (its own background reads do not count), so the
 * idle lock may come up to this much before N minutes without a key or click, never after.
 */
export const TOUCH_EVERY_MS = 10_000

type LockListener = (locked: boolean) => void

class LockStore {
  /** Null until lock.status has answered once. */
  status = $state<LockStatus | null>(null)
  private lastTouch = Number.NEGATIVE_INFINITY
  private readonly listeners = new Set<LockListener>()
  private reading: Promise<void> | null = null

  constructor() {
    // Any call refused with 'locked': the core locked itself; hide everything and ask why.
    onLockedError(() => { this.sawLocked() })
  }

  get known(): boolean {
    return this.status !== null
  }

  get locked(): boolean {
    return this.status?.locked ?? false
  }

  /** A passcode is set. */
  get enabled(): boolean {
    return this.status?.enabled ?? false
  }

  /** Called with true when the app locks, false when it unlocks. Returns the unsubscribe. */
  onChange(listener: LockListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** What lock.* answered (or app.status said). */
  apply(status: LockStatus): void {
    const was = this.status?.locked ?? false
    this.status = status
    if (status.locked !== was) for (const l of [...this.listeners]) l(status.locked)
  }

  /** app.status says locked or not: follow at once, then read the details (retry wait, device unlock). */
  follow(locked: boolean): void {
    if (locked === this.locked && this.status) return
    if (this.status) this.apply({ ...this.status, locked })
    void this.refresh()
  }

  /** Reads lock.status (one read at a time). */
  refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
        const r = await api.lock.status({})
        if (r.ok) this.apply(r.value)
      } finally {
        this.reading = null
      }
    })()
    return this.reading
  }

  /** The operator did something: the core's idle timer starts over (at most once a minute). */
  touch(): void {
    if (!this.enabled || this.locked) return
    const now = Date.now()
    if (now - this.lastTouch < TOUCH_EVERY_MS) return
    this.lastTouch = now
    void api.lock.touch({})
  }

  private sawLocked(): void {
    if (this.status && !this.status.locked) this.apply({ ...this.status, locked: true })
    void this.refresh()
  }
}

export const lock = new LockStore()
