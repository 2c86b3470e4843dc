// The global idempotency middleware (§1): optional Idempotency-Key on POST/PUT/DELETE/PATCH under
// /api/; a repeat (same key, method, path and credential) within 24 h replays the stored reply.
import type { Clock } from './clock'
import type { Reply } from './http'

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000
export const IDEMPOTENCY_MAX_KEY = 256
const METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH'])

export class IdempotencyCache {
  private readonly entries = new Map<string, { reply: Reply; expiresAt: number }>()

  constructor(private readonly clock: Clock) {}

  static applies(method: string, path: string): boolean {
    return METHODS.has(method) && path.startsWith('/api/')
  }

  static cacheKey(idemKey: string, method: string, path: string, credential: string): string {
    return `${idemKey}\u0000${method}\u0000${path}\u0000${credential}`
  }

  get(key: string): Reply | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (e.expiresAt <= this.clock.now()) {
      this.entries.delete(key)
      return undefined
    }
    return e.reply
  }

  /** Server errors are not stored, so a retry after a 5xx runs again. */
  put(key: string, reply: Reply): void {
    if (reply.status >= 500) return
    const now = this.clock.now()
    if (this.entries.size > 10_000) {
      for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k)
    }
    this.entries.set(key, { reply, expiresAt: now + IDEMPOTENCY_TTL_MS })
  }

  get size(): number {
    return this.entries.size
  }
}
