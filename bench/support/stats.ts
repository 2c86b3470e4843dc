// Small statistics helpers: medians and percentiles of repeated measurements.

/** Nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits

export const MB = 2 ** 20

/** Samples process.memoryUsage().rss every `everyMs` until stopped; returns the peak. */
export function rssSampler(everyMs = 50): { stop(): { peak: number; samples: number } } {
  let peak = process.memoryUsage().rss
  let samples = 1
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss
    samples++
    if (rss > peak) peak = rss
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      const rss = process.memoryUsage().rss
      return { peak: Math.max(peak, rss), samples: samples + 1 }
    }
  }
}
