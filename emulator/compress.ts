// Fiber's compress middleware as server_init.go registers it (`compress.New({Level: LevelDefault})`,
// after the idempotency middleware, so it wraps only routing and handlers):
//
// - It works on what the handler chain wrote. An answer produced through the error handler (a
//   returned error or a recovered panic) passes untouched: no compression, no Vary.
// - Skipped (only `Vary: Accept-Encoding` is added): HEAD, status < 200, 204, 205, 304, 206, an
//   empty body, a request with Range, `Cache-Control: no-transform` on request or response, or a
//   response that already has a Content-Encoding.
// - Otherwise fasthttp picks the first encoding the request accepts, in the order br, gzip, deflate
//   (token match as fasthttp does it: the name must stand alone, "gzip;q=1" does not count), and
//   compresses only a compressible Content-Type (text/*, application/*, image/svg*, image/x-icon,
//   font/*, multipart/*) with a body of at least 200 bytes. Levels: brotli 4, gzip/deflate 6.
// - Vary: Accept-Encoding is appended on every answer that went through it.
import { brotliCompressSync, constants as zlibConstants, deflateSync, gzipSync } from 'node:zlib'
import { header, type Ctx, type Reply, type WireReply } from './http'

/** fasthttp's minCompressLen. */
export const MIN_COMPRESS_BYTES = 200
const COMPRESSIBLE = ['text/', 'application/', 'image/svg', 'image/x-icon', 'font/', 'multipart/']
const SKIP_STATUS = new Set([204, 205, 304, 206])

export type ContentEncoding = 'br' | 'gzip' | 'deflate'

export function compressReply(ctx: Ctx, reply: Reply): WireReply {
  const body = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8')
  const wire: WireReply = { status: reply.status, headers: { ...reply.headers }, ...(body ? { body } : {}) }
  if (reply.via !== undefined) return wire
  if (!shouldSkip(ctx, wire) && wire.headers['content-encoding'] === undefined && body) {
    const encoding = negotiate(header(ctx, 'accept-encoding') ?? '')
    const type = (wire.headers['content-type'] ?? 'text/plain; charset=utf-8').toLowerCase()
    if (encoding && body.length >= MIN_COMPRESS_BYTES && COMPRESSIBLE.some((p) => type.startsWith(p))) {
      wire.body = encode(body, encoding)
      wire.headers['content-encoding'] = encoding
    }
  }
  appendVary(wire.headers)
  return wire
}

function shouldSkip(ctx: Ctx, wire: WireReply): boolean {
  return ctx.method === 'HEAD' ||
    wire.status < 200 || SKIP_STATUS.has(wire.status) ||
    !wire.body || wire.body.length === 0 ||
    (header(ctx, 'range') ?? '') !== '' ||
    hasToken(header(ctx, 'cache-control') ?? '', 'no-transform') ||
    hasToken(wire.headers['cache-control'] ?? '', 'no-transform')
}

/** fasthttp CompressHandlerBrotliLevel: br, then gzip, then deflate. */
export function negotiate(acceptEncoding: string): ContentEncoding | undefined {
  for (const e of ['br', 'gzip', 'deflate'] as const) if (hasAcceptEncoding(acceptEncoding, e)) return e
  return undefined
}

/** fasthttp HasAcceptEncodingBytes: first occurrence, followed by "," or the end, preceded by " " or the start. */
function hasAcceptEncoding(ae: string, name: string): boolean {
  const n = ae.indexOf(name)
  if (n < 0) return false
  const rest = ae.slice(n + name.length)
  if (rest.length > 0 && rest[0] !== ',') return false
  return n === 0 || ae[n - 1] === ' '
}

function hasToken(headerValue: string, token: string): boolean {
  return headerValue.split(',').some((p) => p.trim().toLowerCase() === token.toLowerCase())
}

function encode(body: Buffer, encoding: ContentEncoding): Buffer {
  if (encoding === 'br') return brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } })
  if (encoding === 'gzip') return gzipSync(body, { level: 6 })
  return deflateSync(body, { level: 6 }) // zlib-wrapped, as fasthttp's deflate
}

function appendVary(headers: Record<string, string>): void {
  const vary = headers.vary
  if (vary === undefined || vary === '') {
    headers.vary = 'Accept-Encoding'
    return
  }
  if (hasToken(vary, '*') || hasToken(vary, 'Accept-Encoding')) return
  headers.vary = `${vary}, Accept-Encoding`
}
