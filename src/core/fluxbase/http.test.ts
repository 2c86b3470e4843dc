// The node:http transport against a local server: content-codings, byte-order mark, header
// reading, keep-alive reuse, and the failure mapping fetch used to give (cut-off bodies,
// timeouts covering the body, cancellation, unsendable headers).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FluxbaseError } from './errors'
import { sendOnce, type RawRequest } from './http'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void
const routes = new Map<string, Handler>()
const sockets = new Set<Socket>()
let server: Server
let baseUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      const handler = routes.get(req.url ?? '')
      if (handler) handler(req, res, body)
      else res.writeHead(404).end()
    })
  })
  server.on('connection', (s) => sockets.add(s))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

const get = (path: string, extra: Partial<RawRequest> = {}, timeoutMs = 2000, signal?: AbortSignal) =>
  sendOnce({ method: 'GET', path, endpoint: `GET ${path}`, idempotent: true, ...extra }, { baseUrl, timeoutMs, signal })

async function failure(p: Promise<unknown>): Promise<FluxbaseError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(FluxbaseError)
    return e as FluxbaseError
  }
  throw new Error('expected a failure')
}

const JSON_TEXT = JSON.stringify([{ id: 'ä-€-𝄞', name: 'x'.repeat(5000) }])

describe('sendOnce (node:http)', () => {
  it.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateRawSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
    ['identity', (b: Buffer) => b]
  ])('decodes a %s body', async (coding, encode) => {
    routes.set('/coded', (req, res) => {
      expect(req.headers['accept-encoding']).toBe('gzip, deflate, br')
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding }).end(encode(Buffer.from(JSON_TEXT)))
    })
    const res = await get('/coded')
    expect(res.status).toBe(200)
    expect(res.text).toBe(JSON_TEXT)
  })

  it('drops a byte-order mark and reads headers case-insensitively, repeated ones joined', async () => {
    routes.set('/bom', (_req, res) => {
      res.setHeader('X-Request-Id', 'req-1')
      res.setHeader('x-multi', ['a', 'b'])
      res.writeHead(200).end(`\uFEFF${JSON_TEXT}`)
    })
    const res = await get('/bom')
    expect(res.text).toBe(JSON_TEXT)
    expect(res.headers.get('x-request-id')).toBe('req-1')
    expect(res.headers.get('X-Request-ID')).toBe('req-1')
    expect(res.headers.get('x-multi')).toBe('a, b')
    expect(res.headers.get('retry-after')).toBeNull()
  })

  it('sends a JSON body with its length, and the query string', async () => {
    routes.set('/echo?a=1&b=%C3%A4', (req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        JSON.stringify({ body, type: req.headers['content-type'], length: req.headers['content-length'], auth: req.headers.authorization })
      )
    })
    const res = await sendOnce(
      { method: 'POST', path: '/echo', endpoint: 'POST /echo', idempotent: false, query: { a: '1', b: 'ä', c: undefined }, headers: { Authorization: 'Bearer t' }, body: { name: 'ä€' } },
      { baseUrl, timeoutMs: 2000, signal: undefined }
    )
    expect(res.status).toBe(201)
    expect(JSON.parse(res.text)).toEqual({ body: '{"name":"ä€"}', type: 'application/json', length: String(Buffer.byteLength('{"name":"ä€"}')), auth: 'Bearer t' })
  })

  it('reuses one kept-alive connection for sequential requests', async () => {
    routes.set('/ok', (_req, res) => res.writeHead(200).end('[]'))
    await get('/ok')
    const before = sockets.size
    for (let i = 0; i < 5; i++) await get('/ok')
    expect(sockets.size).toBe(before)
  })

  it('a body that breaks off after the headers -> invalid_response "cut off"', async () => {
    routes.set('/short', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'x-request-id': 'req-cut' })
      res.write('[{"id":')
      setTimeout(() => res.socket?.destroy(), 20)
    })
    const err = await failure(get('/short'))
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: true, requestId: 'req-cut' })
    expect(err.detail).toMatch(/cut off before it was complete/)
  })

  it('a connection reset in the middle of the body -> invalid_response "cut off" too', async () => {
    routes.set('/reset-body', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' })
      res.write('[{"id":')
      setTimeout(() => res.socket?.resetAndDestroy(), 20)
    })
    const err = await failure(get('/reset-body', { method: 'POST', idempotent: false, body: {} }))
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: false })
  })

  it('a reset before any answer -> network error', async () => {
    routes.set('/reset', (req) => req.socket.resetAndDestroy())
    const err = await failure(get('/reset'))
    expect(err).toMatchObject({ kind: 'network', retryable: true, code: 'ECONNRESET' })
  })

  it('the timeout covers a body that trickles in; the next request still works', async () => {
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('[')
    })
    const err = await failure(get('/slow', {}, 150))
    expect(err).toMatchObject({ kind: 'timeout', retryable: true })
    routes.set('/ok', (_req, res) => res.writeHead(200).end('[]'))
    expect((await get('/ok')).text).toBe('[]')
  })

  it('cancellation through the signal, before and during a request', async () => {
    const early = new AbortController()
    early.abort()
    expect(await failure(get('/ok', {}, 2000, early.signal))).toMatchObject({ kind: 'cancelled' })
    routes.set('/hang', () => undefined)
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 30)
    expect(await failure(get('/hang', {}, 2000, ac.signal))).toMatchObject({ kind: 'cancelled', retryable: false })
  })

  it('a header value that cannot be sent -> network error, nothing left running', async () => {
    const err = await failure(get('/ok', { headers: { Authorization: 'Bearer a\nb' } }, 50))
    expect(err).toMatchObject({ kind: 'network' })
    // The timer must not fire later against a request that was never made.
    await new Promise((r) => setTimeout(r, 80))
  })
})
