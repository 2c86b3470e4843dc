// One HTTP request, from the socket to the answer: read the body (Fiber's 4 MB limit), give it a
// request id, serve the emulator's own /__emulator routes, count it, let the fault engine decide
// (a proxy-level fault answers instead of the server), run the server pipeline, write the answer.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FaultEngine } from './faults'
import { isProxyFault, faultReply } from './fault-replies'
import { fiberError, toWire, type Ctx, type Reply } from './http'
import type { Pipeline } from './pipeline'
import { writeWire, type WriterDeps } from './writer'

/** Fiber's default body limit (4 MB) -> 413. */
const BODY_LIMIT = 4 * 1024 * 1024

export class RequestCounters {
  readonly byRoute = new Map<string, number>()
  total = 0

  record(routeKey: string): void {
    this.total++
    this.byRoute.set(routeKey, (this.byRoute.get(routeKey) ?? 0) + 1)
  }
}

export interface RequestHandlerDeps {
  pipeline: Pipeline
  faults: FaultEngine
  baseLatencyMs: number
  /** The /__emulator routes, or undefined when they are disabled (then they 404). */
  control: ((ctx: Ctx) => Reply | undefined) | undefined
  counters: RequestCounters
  routeKey(method: string, path: string): string
  writer: WriterDeps
  log?: (line: string) => void
}

export function createRequestHandler(d: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const started = performance.now()
    const body = await readBody(req)
    if (d.writer.isClosed()) return
    const ctx = makeCtx(req, body)
    const done = (status: number | string, note = ''): void =>
      d.log?.(`${ctx.method} ${ctx.path} ${status} ${Math.round(performance.now() - started)}ms${note}`)

    if (ctx.path === '/__emulator' || ctx.path.startsWith('/__emulator/')) {
      const reply = d.control?.(ctx) ?? fiberError(ctx, 404, `Cannot ${ctx.method} ${ctx.path}`)
      await writeWire(res, ctx.requestId, toWire(reply), undefined, d.writer)
      done(reply.status)
      return
    }
    d.counters.record(d.routeKey(ctx.method, ctx.path))
    if (body === undefined) {
      const reply = fiberError(ctx, 413, 'Request Entity Too Large')
      await writeWire(res, ctx.requestId, toWire(reply), undefined, d.writer)
      done(reply.status)
      return
    }
    const decision = d.faults.decide(ctx.method, ctx.path)
    const delay = d.baseLatencyMs + decision.delayMs
    const fault = decision.outcome
    if (isProxyFault(fault)) {
      if (delay > 0) await d.writer.sleep(delay)
      if (d.writer.isClosed()) return
      if (fault?.kind === 'reset') {
        req.socket.destroy()
        done('reset', ' [fault reset]')
        return
      }
      const wire = fault ? faultReply(ctx, fault) : undefined
      if (!wire) return
      await writeWire(res, ctx.requestId, wire, undefined, d.writer)
      done(wire.status, ` [fault ${fault?.kind ?? ''}]`)
      return
    }
    const wire = await d.pipeline(ctx, clientAddress(req), delay)
    if (!wire || d.writer.isClosed()) return
    await writeWire(res, ctx.requestId, wire, fault, d.writer)
    done(wire.status, fault ? ` [fault ${fault.kind}]` : '')
  }
}

function makeCtx(req: IncomingMessage, body: Buffer | undefined): Ctx {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid')
  const incomingId = req.headers['x-request-id']
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody: body ?? Buffer.alloc(0),
    requestId: typeof incomingId === 'string' && incomingId !== '' ? incomingId : randomUUID(),
    params: {}
  }
}

/** Fiber's c.IP(): the socket's peer address (no proxy header is configured); IPv4-mapped shown as IPv4. */
function clientAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? ''
  return a.startsWith('::ffff:') ? a.slice(7) : a
}

/** The whole request body, or undefined when it exceeds the body limit. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > BODY_LIMIT) tooBig = true
      else chunks.push(c)
    })
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks)))
    req.on('error', () => resolve(undefined))
    req.on('aborted', () => resolve(undefined))
  })
}
