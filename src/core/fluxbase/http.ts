// One HTTP exchange with the server: node:http with keep-alive, a per-request timeout that
// covers the whole body, cancellation through the client's signal, and mapping of transport
// failures to FluxbaseError. Status handling and JSON parsing live in the caller (client.ts)
// and here in small helpers, so this module knows nothing about endpoints beyond their label.
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import zlib from 'node:zlib'
import type { Priority, RequestBudget } from './budget'
import { FluxbaseError, cancelledError, invalidResponseError, networkError, timeoutError } from './errors'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RawRequest {
  method: HttpMethod
  /** Path with concrete ids, e.g. /api/v1/admin/service-keys/<uuid>. */
  path: string
  /** Label for errors, e.g. 'GET /api/v1/admin/service-keys/:id'. */
  endpoint: string
  query?: Record<string, string | undefined>
  headers?: Record<string, string>
  /** JSON-serialised when present. */
  body?: unknown
  idempotent: boolean
  /** Background requests (sync) wait behind interactive ones for the server's budget. */
  priority?: Priority
}

/** The part of a Headers object the client reads. */
export interface ResponseHeaders {
  get(name: string): string | null
}

export interface RawResponse {
  status: number
  headers: ResponseHeaders
  text: string
}

/** Learns, from every exchange, whether the server can be reached (the app's offline state). */
export interface ReachabilityObserver {
  /**
   * The server answered (any status: even an error proves it is reachable). `clock`: its Date
   * header (ms, whole seconds) and when the request left and the answer came, on the app's clock.
   */
  answered(clock?: { serverDate: number; sentAt: number; receivedAt: number }): void
  /** The server could not be reached, or did not answer in time. */
  unreachable(error: FluxbaseError): void
}

export interface TransportOptions {
  baseUrl: string
  timeoutMs: number
  signal: AbortSignal | undefined
  observer?: ReachabilityObserver
  /** The server's request budget, shared by every request to it (see budget.ts). */
  budget?: RequestBudget
  /** PEM of a private CA this server's certificate chains to (trusted beside the system's roots). */
  caPem?: string | null
  /** The app's clock (tests inject one), for the server-clock samples. */
  now?: () => number
}

/** Validates and normalises a base URL: http(s) only, no trailing slash, no query or fragment. */
export function normaliseBaseUrl(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username || url.password || url.search || url.hash) return null
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, string | undefined>): string {
  let url = baseUrl + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v)
    const qs = params.toString()
    if (qs) url += `?${qs}`
  }
  return url
}

/** Keep-alive agents shared by every client, one per scheme and CA (as fetch's global dispatcher). */
const AGENT_OPTIONS = {
  keepAlive: true,
  // Idle sockets close after 4 s (fetch's default), before a typical server-side idle timeout.
  timeout: 4000,
  // Reuse the most recently used socket: fewer sockets stay warm for a bursty sync.
  scheduling: 'lifo'
} as const
let httpAgent: http.Agent | null = null
/** https agents by the extra CA they trust ('' = the system's roots only). */
const httpsAgents = new Map<string, https.Agent>()

function agentFor(url: URL, caPem: string | null): { request: typeof http.request; agent: http.Agent } {
  if (url.protocol !== 'https:') {
    httpAgent ??= new http.Agent(AGENT_OPTIONS)
    return { request: http.request, agent: httpAgent }
  }
  const key = caPem ?? ''
  let agent = httpsAgents.get(key)
  if (!agent) {
    agent = new https.Agent({
      ...AGENT_OPTIONS,
      // Verification is pinned on: NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn it off.
      rejectUnauthorized: true,
      // A private CA is trusted beside the system's roots, never instead of them.
      ...(caPem ? { ca: [...tls.rootCertificates, caPem] } : {})
    })
    httpsAgents.set(key, agent)
  }
  return { request: https.request, agent }
}

/** Loopback addresses: the only hosts plain http may reach without the operator's explicit choice. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

function headerReader(raw: http.IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const v = raw[name.toLowerCase()]
      if (v === undefined) return null
      return Array.isArray(v) ? v.join(', ') : v
    }
  }
}

/** Undoes the content-codings we ask for (as fetch did); an unknown one is left as it is. */
function decode(encoding: string | undefined, body: Buffer): Buffer {
  let out = body
  const codings = (encoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity')
  // Listed in the order they were applied: undo the last first. Lenient about a missing end,
  // like fetch; a body cut off inside the data then fails as JSON.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH }
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') out = zlib.gunzipSync(out, lenient)
    // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
    else if (coding === 'deflate') out = (out[0] ?? 0) % 16 === 8 ? zlib.inflateSync(out, lenient) : zlib.inflateRawSync(out, lenient)
    else if (coding === 'br') out = zlib.brotliDecompressSync(out)
    else break
  }
  return out
}

/** UTF-8 text of a body; a leading byte-order mark is dropped, as Response.text() does. */
function utf8(body: Buffer): string {
  const text = body.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

// node:http rather than global fetch: fetch's WHATWG streams, Headers and signals cost about
// twice the CPU per request and grew the heap several times as fast (a full sync of 500
// tenants: ~300 ms less CPU and ~20-50 MB less RSS).
export async function sendOnce(req: RawRequest, opts: TransportOptions): Promise<RawResponse> {
  await opts.budget?.acquire(req.priority ?? 'interactive', opts.signal, req.endpoint)
  let answer: RawResponse | null = null
  const now = opts.now ?? Date.now
  const sentAt = now()
  try {
    answer = await exchange(req, opts)
    const serverDate = Date.parse(answer.headers.get('date') ?? '')
    opts.observer?.answered(Number.isNaN(serverDate) ? undefined : { serverDate, sentAt, receivedAt: now() })
    return answer
  } catch (err) {
    if (err instanceof FluxbaseError && (err.kind === 'network' || err.kind === 'timeout')) opts.observer?.unreachable(err)
    // A refused certificate is an answer of sorts: the server is there, but not the one it claims (or not trusted).
    else if (err instanceof FluxbaseError && err.kind === 'certificate') opts.observer?.answered()
    throw err
  } finally {
    opts.budget?.settle(answer && { status: answer.status, header: (name) => answer?.headers.get(name) ?? null })
  }
}

function exchange(req: RawRequest, opts: TransportOptions): Promise<RawResponse> {
  const { endpoint, idempotent } = req
  if (opts.signal?.aborted) return Promise.reject(cancelledError(endpoint))

  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'gzip, deflate, br', ...req.headers }
  let body: string | undefined
  if (req.body !== undefined) {
    body = JSON.stringify(req.body)
    headers['Content-Type'] = 'application/json'
    headers['Content-Length'] = String(Buffer.byteLength(body))
  }

  return new Promise<RawResponse>((resolve, reject) => {
    let outgoing: http.ClientRequest
    try {
      const url = new URL(buildUrl(opts.baseUrl, req.path, req.query))
      const { request, agent } = agentFor(url, opts.caPem ?? null)
      // Throws for header values that cannot be sent (fetch rejected those too).
      outgoing = request(url, { method: req.method, headers, agent, ...(url.protocol === 'https:' ? { rejectUnauthorized: true } : {}) })
    } catch (err) {
      reject(networkError(endpoint, opts.baseUrl, err, idempotent))
      return
    }
    let settled = false
    const settle = (): boolean => {
      if (settled) return false
      settled = true
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onOuterAbort)
      return true
    }
    const succeed = (res: RawResponse): void => {
      if (settle()) resolve(res)
    }
    const fail = (error: FluxbaseError): void => {
      if (!settle()) return
      // Unfinished exchange: its socket must not go back to the pool.
      outgoing.destroy()
      reject(error)
    }
    // The timeout covers the headers and the whole body.
    const timer = setTimeout(() => fail(timeoutError(endpoint, opts.baseUrl, opts.timeoutMs, idempotent)), opts.timeoutMs)
    const onOuterAbort = (): void => fail(cancelledError(endpoint))
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true })

    let responseHeaders: ResponseHeaders | null = null
    // Headers arrived, then the body broke off (or does not decode): the answer is incomplete.
    const cutOff = (): void =>
      fail(invalidResponseError(endpoint, 'the answer was cut off before it was complete', idempotent, responseHeaders?.get('x-request-id') ?? null))

    outgoing.on('response', (res: http.IncomingMessage) => {
      const headers = headerReader(res.headers)
      responseHeaders = headers
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', cutOff)
      res.on('close', () => {
        if (!res.complete) cutOff()
      })
      res.on('end', () => {
        let raw: Buffer
        try {
          raw = decode(res.headers['content-encoding'], chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))
        } catch {
          cutOff()
          return
        }
        succeed({ status: res.statusCode ?? 0, headers, text: utf8(raw) })
      })
    })
    outgoing.on('error', (err) => {
      if (responseHeaders) cutOff()
      else fail(networkError(endpoint, opts.baseUrl, err, idempotent))
    })
    outgoing.end(body)
  })
}

/** Parses a 2xx body as JSON; malformed or truncated JSON is an invalid_response error. */
export function parseJsonBody(res: RawResponse, endpoint: string, idempotent: boolean): unknown {
  const requestId = res.headers.get('x-request-id')
  if (res.text.trim() === '') {
    throw invalidResponseError(endpoint, 'the body was empty where data was expected', idempotent, requestId)
  }
  try {
    return JSON.parse(res.text)
  } catch {
    throw invalidResponseError(endpoint, 'the body is not valid JSON (it may have been cut off)', idempotent, requestId)
  }
}
