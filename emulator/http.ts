// Routing and response helpers. Handlers are synchronous functions from a fully read request
// (Ctx) to a Reply value; the server loop writes Replies, which lets idempotency store them and
// faults mangle them without the handlers knowing.
import type { IncomingHttpHeaders } from 'node:http'

export interface Reply {
  status: number
  headers: Record<string, string>
  /** undefined = no body (204). */
  body?: string
  /**
   * How the real server produced this answer, when not by writing it: `error` = a handler or
   * middleware returned an error that Fiber's error handler turned into the body (the idempotency
   * middleware then marks the key failed, and compress does not run); `panic` = a recovered panic
   * (recover sits outside the idempotency middleware, so the key's record stays "processing").
   */
  via?: 'error' | 'panic'
}

/** An answer as it goes on the wire: after compression, with bytes for a body. */
export interface WireReply {
  status: number
  headers: Record<string, string>
  body?: Buffer
}

export interface Ctx {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  rawBody: Buffer
  requestId: string
  params: Record<string, string>
}

export type Handler = (ctx: Ctx) => Reply

/** A Reply as bytes, unchanged (no compression). */
export function toWire(reply: Reply): WireReply {
  return { status: reply.status, headers: { ...reply.headers }, ...(reply.body !== undefined ? { body: Buffer.from(reply.body, 'utf8') } : {}) }
}

export const JSON_TYPE = 'application/json; charset=utf-8'

export function jsonReply(status: number, value: unknown): Reply {
  return rawJsonReply(status, JSON.stringify(value))
}

export function rawJsonReply(status: number, json: string): Reply {
  return { status, headers: { 'content-type': JSON_TYPE }, body: json }
}

export function noContent(): Reply {
  return { status: 204, headers: {} }
}

/** The standard `ErrorResponse` (§1.1): field order as the Go struct; only error, code, request_id sent. */
export function errorReply(ctx: Ctx, status: number, error: string, code: string): Reply {
  return jsonReply(status, { error, code, request_id: ctx.requestId })
}

/** Bare `{"error": ...}` bodies some middlewares and the legacy server send (§1.1, Appendix A). */
export function bareError(status: number, error: string): Reply {
  return jsonReply(status, { error })
}

/** customErrorHandler's code for a fiber.Error status (§1.1). */
export function codeForStatus(status: number): string {
  if (status === 400) return 'INVALID_REQUEST_BODY'
  if (status === 401) return 'AUTHENTICATION_REQUIRED'
  if (status === 403) return 'ACCESS_DENIED'
  if (status === 404) return 'NOT_FOUND'
  if (status === 409) return 'CONFLICT'
  if (status >= 500) return 'INTERNAL_ERROR'
  return 'INVALID_INPUT'
}

/** A fiber.Error passed through customErrorHandler (§1.1). */
export function fiberError(ctx: Ctx, status: number, message: string): Reply {
  return { ...errorReply(ctx, status, message, codeForStatus(status)), via: 'error' }
}

/** A recovered panic (e.g. uuid.MustParse on a slug, §3): no request_id in that body. */
export function panicReply(): Reply {
  return { ...jsonReply(500, { error: 'Internal Server Error', code: 'INTERNAL_ERROR' }), via: 'panic' }
}

/** The catch-all registered after all routes (`setupRoutes`, server_init.go): unknown path or method. */
export function catchAllNotFound(ctx: Ctx): Reply {
  return jsonReply(404, { error: 'Not Found', path: ctx.path })
}

// ---- router

interface Route {
  method: string
  segments: string[]
  key: string
  handler: Handler
}

export type RouteMatch =
  | { kind: 'found'; key: string; handler: Handler; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allow: string[]; key: string }
  | { kind: 'notFound' }

export class Router {
  private readonly routes: Route[] = []

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: split(pattern), key: `${method} ${pattern}`, handler })
    return this
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path)
    const allow: string[] = []
    let allowKey = ''
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts)
      if (!params) continue
      if (r.method === method) return { kind: 'found', key: r.key, handler: r.handler, params }
      if (!allow.includes(r.method)) allow.push(r.method)
      allowKey ||= r.key.slice(r.method.length + 1)
    }
    if (allow.length > 0) return { kind: 'methodNotAllowed', allow, key: `${method} ${allowKey}` }
    return { kind: 'notFound' }
  }
}

function split(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed.split('/').slice(1)
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string
    const v = parts[i] as string
    if (p.startsWith(':')) {
      if (v === '') return undefined
      params[p.slice(1)] = safeDecode(v)
    } else if (p !== v) return undefined
  }
  return params
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

// ---- request bodies

export type BodyObject = Record<string, unknown>

export type ParsedBody =
  | { ok: true; kind: 'json' | 'form'; value: BodyObject }
  | { ok: false }

/**
 * Fiber's Bind().Body (§1): the decoder is chosen by Content-Type; any other type, an empty body
 * or a decode error fails. A JSON `null` decodes to the zero struct.
 */
export function parseBody(ctx: Ctx): ParsedBody {
  const type = (ctx.headers['content-type'] ?? '').toLowerCase()
  const text = ctx.rawBody.toString('utf8')
  if (text.trim() === '') return { ok: false }
  if (type.startsWith('application/json') || /^application\/[^;]*\+json/.test(type)) {
    try {
      const v: unknown = JSON.parse(text)
      if (v === null) return { ok: true, kind: 'json', value: {} }
      if (typeof v !== 'object' || Array.isArray(v)) return { ok: false }
      return { ok: true, kind: 'json', value: v as BodyObject }
    } catch {
      return { ok: false }
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const value: BodyObject = {}
    for (const [k, v] of new URLSearchParams(text)) {
      const prev = value[k]
      if (prev === undefined) value[k] = v
      else value[k] = Array.isArray(prev) ? [...(prev as string[]), v] : [prev as string, v]
    }
    return { ok: true, kind: 'form', value }
  }
  return { ok: false }
}

/**
 * Fiber `c.FormValue(name)`: query string or an urlencoded body, never JSON (§4.7, §4.8).
 * (Fiber checks the body first for form requests, then the query.)
 */
export function formValue(ctx: Ctx, name: string): string {
  const type = (ctx.headers['content-type'] ?? '').toLowerCase()
  if (type.startsWith('application/x-www-form-urlencoded') && ctx.rawBody.length > 0) {
    const v = new URLSearchParams(ctx.rawBody.toString('utf8')).get(name)
    if (v !== null) return v
  }
  return ctx.query.get(name) ?? ''
}

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}
