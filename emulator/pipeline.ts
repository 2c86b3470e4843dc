// The server's own middleware pipeline, in the order server_init.go registers it:
//   requestid (X-Request-ID: set by the caller) -> recover -> global rate limiter (optional)
//   -> idempotency -> compress -> routes (TenantMiddleware -> TenantDBMiddleware -> auth ->
//   RequireRole -> handler, see app.ts) or the catch-all 404.
// Configured latency stands for the handler's own time: it is spent after the idempotency record
// exists, so a second request with the same key meanwhile sees it "processing".
import type { App } from './app'
import { compressReply } from './compress'
import { catchAllNotFound, fiberError, panicReply, type Ctx, type Reply, type Router, type WireReply } from './http'
import type { IdempotencyMiddleware } from './idempotency'
import type { GlobalRateLimiter } from './rate-limit'

export interface PipelineDeps {
  app: App
  router: Router
  idempotency: IdempotencyMiddleware
  limiter: GlobalRateLimiter | undefined
  sleep(ms: number): Promise<void>
  isClosed(): boolean
  log?: (line: string) => void
}

/** Runs one request through the server; undefined when the emulator closed meanwhile. */
export type Pipeline = (ctx: Ctx, clientAddress: string, delayMs: number) => Promise<WireReply | undefined>

export function createPipeline(d: PipelineDeps): Pipeline {
  return async (ctx, clientAddress, delayMs) => {
    const limit = d.limiter?.check(ctx, clientAddress) ?? { kind: 'skipped' as const }
    if (limit.kind === 'limited') return limit.reply
    const withLimitHeaders = (w: WireReply): WireReply => (limit.kind === 'passed' ? { ...w, headers: { ...w.headers, ...limit.headers } } : w)

    const entry = d.idempotency.enter(ctx)
    if (entry.kind === 'answer') return withLimitHeaders(entry.reply)
    if (delayMs > 0) await d.sleep(delayMs)
    if (d.isClosed()) return undefined
    const reply = route(d, ctx)
    const wire = compressReply(ctx, reply)
    if (entry.ticket) d.idempotency.complete(entry.ticket, wire, ctx.requestId, reply.via)
    return withLimitHeaders(wire)
  }
}

/** Routing, with panic recovery. */
function route(d: PipelineDeps, ctx: Ctx): Reply {
  const m = d.router.match(ctx.method, ctx.path)
  if (m.kind !== 'found') {
    // The current server registers a catch-all after every route, so an unknown path and an
    // unregistered method on a known path both end there. The legacy profile keeps Fiber's own
    // 404 / 405 errors.
    if (d.app.profile === 'current') return catchAllNotFound(ctx)
    if (m.kind === 'notFound') return fiberError(ctx, 404, `Cannot ${ctx.method} ${ctx.path}`)
    const r = fiberError(ctx, 405, 'Method Not Allowed')
    r.headers.allow = m.allow.join(', ')
    return r
  }
  ctx.params = m.params
  try {
    return m.handler(ctx)
  } catch (e) {
    d.log?.(`handler error on ${ctx.method} ${ctx.path}: ${e instanceof Error ? e.message : String(e)}`)
    return panicReply()
  }
}
