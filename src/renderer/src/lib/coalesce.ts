// Turns a burst of change signals into one run. A sync emits one `inventory.changed` per
// batch of tenants and a bulk action one per key batch: each consumer must reload once for
// the burst, not once per signal. Plain TypeScript (no runes, no DOM) so it is unit-tested
// in Node (coalesce.test.ts).

export interface CoalescerOptions {
  /**
   * The window: how long the first signal of a burst waits for more. It is not extended by
   * later signals, so a steady stream (a long sync) still runs once per window, not never.
   */
  delayMs?: number
  /**
   * Run the first signal after a quiet spell at once (in the next task, so signals of the same
   * task still join it) and only then hold runs to one per window: a single change is answered
   * without delay, a burst still costs one run per window.
   */
  leading?: boolean
  /** Where a run's failure goes (the run is fire-and-forget for whoever signalled). */
  onError?: (error: unknown) => void
}

/**
 * At most one run per window, and never two at once: a signal that arrives while a run is
 * going opens the next window, and that window's run waits for the current one to settle.
 * Every run receives the signals (e.g. event reasons) collected since the previous run.
 */
export class Coalescer<T = void> {
  private batch: T[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private running: Promise<void> | null = null
  /** The window ended while a run was going: run again as soon as it settles. */
  private queued = false
  private disposed = false
  private readonly delayMs: number
  private readonly leading: boolean
  private readonly onError: (error: unknown) => void
  /** When the last run started (Date.now()), for the leading edge. */
  private lastStart = Number.NEGATIVE_INFINITY

  constructor(private readonly run: (batch: T[]) => unknown, options: CoalescerOptions = {}) {
    this.delayMs = options.delayMs ?? 0
    this.leading = options.leading ?? false
    this.onError = options.onError ?? ((error) => { console.error('refresh failed', error) })
  }

  signal(item: T): void {
    if (this.disposed) return
    this.batch.push(item)
    if (this.timer !== null || this.queued) return
    const wait = this.leading ? Math.max(0, this.lastStart + this.delayMs - Date.now()) : this.delayMs
    this.timer = setTimeout(() => {
      this.timer = null
      this.fire()
    }, wait)
  }

  /** Drops what is waiting; later signals are ignored. A run already going finishes. */
  dispose(): void {
    this.disposed = true
    this.batch = []
    this.queued = false
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private fire(): void {
    if (this.disposed) return
    if (this.running) {
      this.queued = true
      return
    }
    const batch = this.batch
    this.batch = []
    this.lastStart = Date.now()
    this.running = (async () => {
      try {
        await this.run(batch)
      } catch (error) {
        this.onError(error)
      }
    })().finally(() => {
      this.running = null
      if (this.queued) {
        this.queued = false
        this.fire()
      }
    })
  }
}
