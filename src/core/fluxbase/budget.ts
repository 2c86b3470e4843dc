// A server's request budget, shared by every request the app sends it (sync, actions, sign-in).
// A Fluxbase server with its global limiter on allows 100 requests a minute per client address,
// admins included (reference §1.4), in fixed windows. Its passing answers say how many are left
// and when the window resets (X-RateLimit-Remaining / -Reset); a refused one says 429 with
// Retry-After (the whole window). So the budget:
// - never has more requests in flight than the window has left (answers tell what is left);
// - when the window is spent, waits for its reset instead of collecting 429s;
// - after a 429 pauses everything until the window resets (or Retry-After);
// - where a server sends no such headers, adapts the number in flight (AIMD: halve on 429,
//   grow by one per window of successes), so a limit it cannot read still settles;
// - lets interactive requests (what the operator just asked for) go before background ones (sync).
import { cancelledError } from './errors'

export type Priority = 'interactive' | 'background'

export interface BudgetAnswer {
  status: number
  header(name: string): string | null
}

/** Told when requests wait for the server's window, and when they go again. */
export type WaitListener = (until: number | null) => void

interface Waiter {
  priority: Priority
  resolve: () => void
}

/** Granted requests not yet answered are counted against what the window has left. */
const RESET_MARGIN_MS = 250
/** The cap on requests in flight where the server tells nothing. */
const MAX_IN_FLIGHT = 64

export class RequestBudget {
  private inFlight = 0
  /** From the headers: requests left in the window, as of the answers seen so far. */
  private remaining: number | null = null
  private limit: number | null = null
  /** When the current window resets (ms on this machine's clock); null when unknown. */
  private resetAt: number | null = null
  /** Nothing is sent before this (a 429's pause). */
  private pausedUntil = 0
  /** AIMD cap on requests in flight, for servers that do not say their budget. */
  private cap = MAX_IN_FLIGHT
  private readonly waiters: Waiter[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private waitingUntil: number | null = null
  /** 429s this budget has seen (for progress and benchmarks). */
  rateLimited = 0

  constructor(private readonly now: () => number = Date.now, private readonly onWait: WaitListener = () => undefined) {}

  /** Resolves when a request may be sent; the caller must call settle() with its answer (or null). */
  acquire(priority: Priority, signal: AbortSignal | undefined, endpoint: string): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(endpoint))
    if (this.waiters.length === 0 && this.mayStart()) {
      this.inFlight++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, resolve: () => { signal?.removeEventListener('abort', onAbort); resolve() } }
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(cancelledError(endpoint))
        this.pump()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      // Interactive requests queue ahead of every background one, each kind first come first served.
      const at = priority === 'interactive' ? this.waiters.findIndex((w) => w.priority === 'background') : -1
      if (at < 0) this.waiters.push(waiter)
      else this.waiters.splice(at, 0, waiter)
      this.pump()
    })
  }

  /** The answer (or null: no answer, e.g. the connection failed). Frees the request's place. */
  settle(answer: BudgetAnswer | null): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    if (answer) this.learn(answer)
    this.pump()
  }

  private learn(answer: BudgetAnswer): void {
    const now = this.now()
    const limit = int(answer.header('x-ratelimit-limit'))
    const remaining = int(answer.header('x-ratelimit-remaining'))
    const reset = int(answer.header('x-ratelimit-reset'))
    if (limit !== null && remaining !== null && reset !== null) {
      // Reset is whole seconds from the server's second: the window ends at most `reset` s from now.
      const resetAt = now + reset * 1000 + RESET_MARGIN_MS
      const newWindow = this.resetAt === null || resetAt > this.resetAt + 1000
      this.limit = limit
      this.remaining = newWindow ? remaining : Math.min(this.remaining ?? remaining, remaining)
      this.resetAt = newWindow ? resetAt : Math.min(this.resetAt ?? resetAt, resetAt)
    }
    if (answer.status === 429) {
      this.rateLimited++
      const retryAfterMs = (int(answer.header('retry-after')) ?? 1) * 1000
      // The server's Retry-After is the whole window; a known reset is sooner and as safe.
      const until = this.resetAt !== null && this.resetAt > now ? Math.min(this.resetAt, now + retryAfterMs) : now + retryAfterMs
      this.pausedUntil = Math.max(this.pausedUntil, until)
      if (this.limit !== null) {
        // The window is spent until it resets; then the whole limit again.
        this.remaining = 0
        this.resetAt = this.resetAt !== null && this.resetAt > now ? this.resetAt : until
      } else {
        this.cap = Math.max(1, Math.floor(this.cap / 2))
      }
    } else if (answer.status < 500 && limit === null && this.cap < MAX_IN_FLIGHT) {
      this.cap = Math.min(MAX_IN_FLIGHT, this.cap + 1 / this.cap)
    }
  }

  private mayStart(): boolean {
    const now = this.now()
    if (now < this.pausedUntil) return false
    if (this.resetAt !== null && now >= this.resetAt) {
      // A new window: the whole limit again (the next answer corrects it if not).
      this.remaining = this.limit
      this.resetAt = null
    }
    if (this.inFlight >= Math.floor(this.cap)) return false
    return this.remaining === null || this.inFlight < this.remaining
  }

  /** Starts whoever may start; otherwise sleeps until the window can have changed. */
  private pump(): void {
    while (this.waiters.length > 0 && this.mayStart()) {
      this.inFlight++
      this.waiters.shift()?.resolve()
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.waiters.length === 0) return this.tellWait(null)
    const wakeAt = Math.max(this.pausedUntil, this.remaining === 0 || (this.remaining !== null && this.inFlight >= this.remaining) ? (this.resetAt ?? 0) : 0)
    if (wakeAt > this.now()) {
      this.tellWait(wakeAt)
      this.timer = setTimeout(() => this.pump(), wakeAt - this.now())
      this.timer.unref?.()
    }
    // Otherwise a request in flight will settle and pump again.
  }

  private tellWait(until: number | null): void {
    // Only waits a person would notice are reported.
    const shown = until !== null && until - this.now() >= 1000 ? until : null
    if (shown === this.waitingUntil) return
    this.waitingUntil = shown
    this.onWait(shown)
  }
}

function int(v: string | null): number | null {
  if (v === null || !/^\d+$/.test(v.trim())) return null
  return Number(v.trim())
}
