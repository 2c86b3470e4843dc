// Exponential backoff with full jitter, honouring Retry-After, and an abortable sleep.
// Only errors marked retryable are retried; that flag already encodes the idempotency rules.
import { FluxbaseError, cancelledError } from './errors'
import type { RetryOptions } from './types'

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 }

/**
 * Delay before retry number `retry` (1 = the first retry).
 * Full jitter: uniform in [0, min(max, base * 2^(retry-1))). A server-given Retry-After wins,
 * capped by maxDelayMs.
 */
export function backoffDelay(retry: number, opts: RetryOptions, random: () => number, retryAfterMs: number | null = null): number {
  if (retryAfterMs != null && retryAfterMs >= 0) return Math.min(retryAfterMs, opts.maxDelayMs)
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1))
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.floor(r * ceiling)
}

/** Resolves after ms, or rejects with a 'cancelled' FluxbaseError when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined, endpoint: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelledError(endpoint))
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(cancelledError(endpoint))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RetryContext {
  opts: RetryOptions
  random: () => number
  signal: AbortSignal | undefined
  endpoint: string
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or attempts run out. */
export async function withRetry<T>(ctx: RetryContext, attempt: (n: number) => Promise<T>): Promise<T> {
  const total = Math.max(1, Math.floor(ctx.opts.attempts))
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (err) {
      if (!(err instanceof FluxbaseError) || !err.retryable || n >= total) throw err
      await sleep(backoffDelay(n, ctx.opts, ctx.random, err.retryAfterMs), ctx.signal, ctx.endpoint)
    }
  }
}
