// One HTTP exchange with the server: global fetch, a per-request timeout that covers the whole
// body, cancellation through the client's signal, and mapping of transport failures to
// FluxbaseError. Status handling and JSON parsing live in the caller (client.ts) and here in
// small helpers, so this module knows nothing about endpoints beyond their label.
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
}

export interface RawResponse {
  status: number
  headers: Headers
  text: string
}

export interface TransportOptions {
  baseUrl: string
  timeoutMs: number
  signal: AbortSignal | undefined
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

export async function sendOnce(req: RawRequest, opts: TransportOptions): Promise<RawResponse> {
  const { endpoint, idempotent } = req
  if (opts.signal?.aborted) throw cancelledError(endpoint)
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, opts.timeoutMs)
  const onOuterAbort = (): void => controller.abort()
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true })

  const aborted = (): FluxbaseError | null => {
    if (opts.signal?.aborted) return cancelledError(endpoint)
    if (timedOut) return timeoutError(endpoint, opts.baseUrl, opts.timeoutMs, idempotent)
    return null
  }

  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers }
  let body: string | undefined
  if (req.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(req.body)
  }

  try {
    let res: Response
    try {
      res = await fetch(buildUrl(opts.baseUrl, req.path, req.query), {
        method: req.method,
        headers,
        body,
        signal: controller.signal,
        redirect: 'manual'
      })
    } catch (err) {
      throw aborted() ?? networkError(endpoint, opts.baseUrl, err, idempotent)
    }
    let text: string
    try {
      text = await res.text()
    } catch {
      const a = aborted()
      if (a) throw a
      // Headers arrived, then the body broke off: the answer is incomplete.
      throw invalidResponseError(endpoint, 'the answer was cut off before it was complete', idempotent, res.headers.get('x-request-id'))
    }
    return { status: res.status, headers: res.headers, text }
  } finally {
    clearTimeout(timer)
    opts.signal?.removeEventListener('abort', onOuterAbort)
  }
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
