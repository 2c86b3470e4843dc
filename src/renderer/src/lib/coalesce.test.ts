// The renderer's reload coalescing (coalesce.ts): a burst of inventory.changed events becomes
// one reload, reloads never overlap, nothing is lost.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Coalescer } from './coalesce'

/** A run the test finishes by hand, to hold a reload "in flight". */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {}
  const promise = new Promise<void>((r) => { resolve = r })
  return { promise, resolve }
}

describe('Coalescer', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('runs once for a burst of 500 signals, with every reason', async () => {
    const runs: string[][] = []
    const c = new Coalescer<string>((batch) => { runs.push(batch) }, { delayMs: 100 })
    for (let i = 0; i < 500; i++) c.signal(`sync-${i}`)
    expect(runs).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(100)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toHaveLength(500)
    expect(runs[0]![499]).toBe('sync-499')
    await vi.advanceTimersByTimeAsync(1000)
    expect(runs).toHaveLength(1)
  })

  it('does not run before the window ends, and later signals do not push the window out', async () => {
    let runs = 0
    const c = new Coalescer(() => { runs++ }, { delayMs: 100 })
    c.signal()
    await vi.advanceTimersByTimeAsync(60)
    c.signal()
    await vi.advanceTimersByTimeAsync(39)
    expect(runs).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(runs).toBe(1)
  })

  it('a steady stream runs once per window, not once per signal and not never', async () => {
    let runs = 0
    const c = new Coalescer(() => { runs++ }, { delayMs: 100 })
    for (let t = 0; t < 1000; t += 10) {
      c.signal()
      await vi.advanceTimersByTimeAsync(10)
    }
    await vi.advanceTimersByTimeAsync(100)
    expect(runs).toBeGreaterThanOrEqual(9)
    expect(runs).toBeLessThanOrEqual(11)
  })

  it('never overlaps runs: signals during a run give exactly one more run after it', async () => {
    const started: string[][] = []
    let current = deferred()
    let active = 0
    let maxActive = 0
    const c = new Coalescer<string>(async (batch) => {
      started.push(batch)
      active++
      maxActive = Math.max(maxActive, active)
      await current.promise
      active--
    }, { delayMs: 0 })

    c.signal('a')
    await vi.advanceTimersByTimeAsync(0)
    expect(started).toEqual([['a']])

    const first = current
    current = deferred()
    c.signal('b')
    c.signal('c')
    await vi.advanceTimersByTimeAsync(50)
    c.signal('d')
    await vi.advanceTimersByTimeAsync(50)
    expect(started).toHaveLength(1) // still waiting for the first run

    first.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(started).toEqual([['a'], ['b', 'c', 'd']])
    current.resolve()
    await vi.advanceTimersByTimeAsync(100)
    expect(started).toHaveLength(2)
    expect(maxActive).toBe(1)
  })

  describe('leading', () => {
    it('runs the first signal after a quiet spell at once, with the signals of the same task', async () => {
      const runs: number[][] = []
      const c = new Coalescer<number>((batch) => { runs.push(batch) }, { delayMs: 250, leading: true })
      c.signal(1)
      c.signal(2)
      expect(runs).toHaveLength(0) // not synchronously: the rest of this task joins
      await vi.advanceTimersByTimeAsync(0)
      expect(runs).toEqual([[1, 2]])
    })

    it('then holds a burst to one run per window', async () => {
      const runs: number[][] = []
      const c = new Coalescer<number>((batch) => { runs.push(batch) }, { delayMs: 250, leading: true })
      c.signal(0)
      await vi.advanceTimersByTimeAsync(0)
      for (let i = 1; i <= 100; i++) {
        c.signal(i)
        await vi.advanceTimersByTimeAsync(10) // 100 signals over 1 s
      }
      await vi.advanceTimersByTimeAsync(250)
      expect(runs.flat()).toEqual(Array.from({ length: 101 }, (_, i) => i))
      expect(runs.length).toBeGreaterThanOrEqual(4)
      expect(runs.length).toBeLessThanOrEqual(6)
    })

    it('after a quiet spell the next signal runs at once again', async () => {
      let runs = 0
      const c = new Coalescer(() => { runs++ }, { delayMs: 250, leading: true })
      c.signal()
      await vi.advanceTimersByTimeAsync(0)
      c.signal()
      await vi.advanceTimersByTimeAsync(100)
      expect(runs).toBe(1) // inside the window: waits
      await vi.advanceTimersByTimeAsync(150)
      expect(runs).toBe(2)
      await vi.advanceTimersByTimeAsync(1000)
      c.signal()
      await vi.advanceTimersByTimeAsync(0)
      expect(runs).toBe(3)
    })
  })

  it('a failed run is reported and does not stop later runs', async () => {
    const errors: unknown[] = []
    let runs = 0
    const c = new Coalescer(() => {
      runs++
      if (runs === 1) throw new Error('boom')
    }, { delayMs: 10, onError: (e) => errors.push(e) })
    c.signal()
    await vi.advanceTimersByTimeAsync(10)
    c.signal()
    await vi.advanceTimersByTimeAsync(10)
    expect(runs).toBe(2)
    expect(errors).toHaveLength(1)
  })

  it('dispose drops what waits and ignores later signals', async () => {
    let runs = 0
    const c = new Coalescer(() => { runs++ }, { delayMs: 10 })
    c.signal()
    c.dispose()
    c.signal()
    await vi.advanceTimersByTimeAsync(100)
    expect(runs).toBe(0)
  })
})
