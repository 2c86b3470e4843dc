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

/** Samples process.memoryUsage().rss every `everyMs` until stopped; returns the peak (overall, and per lap). */
export function rssSampler(everyMs = 50): { lap(): number; stop(): { peak: number; samples: number } } {
  let peak = process.memoryUsage().rss
  let lapPeak = peak
  let samples = 1
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss
    samples++
    if (rss > peak) peak = rss
    if (rss > lapPeak) lapPeak = rss
  }, everyMs)
  return {
    /** The peak since the previous lap (or the start); starts the next lap. */
    lap() {
      const rss = process.memoryUsage().rss
      const out = Math.max(lapPeak, rss)
      lapPeak = rss
      return out
    },
    stop() {
      clearInterval(timer)
      const rss = process.memoryUsage().rss
      return { peak: Math.max(peak, rss), samples: samples + 1 }
    }
  }
}

/** Least-squares line y = slope * x + intercept, with R² (how well a straight line explains the points). */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = Math.min(xs.length, ys.length)
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN }
  let sx = 0
  let sy = 0
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number
    sy += ys[i] as number
  }
  const mx = sx / n
  const my = sy / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx
    const dy = (ys[i] as number) - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  const slope = sxy / sxx
  const intercept = my - slope * mx
  return { slope, intercept, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) }
}
