// Answers of the proxy-level faults (faults.ts): the server never sees these requests, so no
// middleware (limiter, idempotency, compress) touches them.
import type { FaultRule } from './faults'
import { fiberError, jsonReply, toWire, type Ctx, type WireReply } from './http'

/** The answer a fault rule stands in for, or undefined when the rule alters the real answer. */
export function faultReply(ctx: Ctx, rule: FaultRule): WireReply | undefined {
  switch (rule.kind) {
    case 'status429': {
      const secs = rule.retryAfterSeconds ?? 1
      const r = toWire(jsonReply(429, {
        code: 'RATE_LIMIT_EXCEEDED',
        error: 'Rate limit exceeded',
        message: `Too many requests. Please try again in ${secs} seconds.`,
        retry_after: secs
      }))
      r.headers['retry-after'] = String(secs)
      return r
    }
    case 'status500':
      return toWire(fiberError(ctx, 500, 'Internal Server Error'))
    case 'status503':
      return toWire(fiberError(ctx, 503, 'Service Unavailable'))
    case 'malformed':
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from('{"id":"8f14e45f-ceea-4e7a",,"name": [tru', 'utf8')
      }
    default:
      return undefined
  }
}

/** Faults that replace the server's answer entirely (reset is handled by closing the socket). */
export function isProxyFault(rule: FaultRule | undefined): boolean {
  return rule !== undefined && ['status429', 'status500', 'status503', 'malformed', 'reset'].includes(rule.kind)
}
