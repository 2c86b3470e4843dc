// Shared helpers for the emulator's own contract tests (real HTTP with global fetch).
import { request as httpRequest } from 'node:http'
import { afterEach } from 'vitest'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './index'

export interface Res {
  status: number
  headers: Headers
  text: string
  json: unknown
}

export interface Client {
  em: RunningEmulator
  req(method: string, path: string, init?: { headers?: Record<string, string>; body?: string; json?: unknown }): Promise<Res>
  login(who?: 'instance' | 'tenant'): Promise<string>
}

export async function client(options: EmulatorOptions = {}): Promise<Client> {
  const em = await startEmulator({ now: Date.parse('2026-11-28T10:00:00Z'), ...options })
  const req: Client['req'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) }
    let body = init.body
    if (init.json !== undefined) {
      body = JSON.stringify(init.json)
      headers['content-type'] ??= 'application/json'
    }
    const r = await fetch(em.url + path, { method, headers, body })
    const text = await r.text()
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: r.status, headers: r.headers, text, json }
  }
  const login: Client['login'] = async (who = 'instance') => {
    const c = who === 'instance' ? em.credentials.instanceAdmin : em.credentials.tenantAdmin
    const path = who === 'instance' ? '/api/v1/admin/login' : '/dashboard/auth/login'
    const r = await req('POST', path, { json: { email: c.email, password: c.password } })
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`)
    return (r.json as { access_token: string }).access_token
  }
  return { em, req, login }
}

export function bearer(token: string, tenant?: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...(tenant ? { 'x-fb-tenant': tenant } : {}) }
}

export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`not an object: ${JSON.stringify(v)}`)
  return v as Record<string, unknown>
}

export function arr(v: unknown): Record<string, unknown>[] {
  if (!Array.isArray(v)) throw new Error(`not an array: ${JSON.stringify(v)}`)
  return v.map(obj)
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** A timestamp read from the DB: up to 6 fraction digits (zeros trimmed), the server's offset (+01:00 by default). */
export const DB_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+01:00$/
/** A Go time.Now() value: up to 9 fraction digits, the server's offset. */
export const GO_NOW_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?\+01:00$/

export const SK = '/api/v1/admin/service-keys'

/** Registers cleanup for this test file and returns a factory of emulators closed after each test. */
export function emulatorsPerTest(): (options?: EmulatorOptions) => Promise<Client> {
  let open: Client[] = []
  afterEach(async () => {
    await Promise.all(open.map((c) => c.em.close()))
    open = []
  })
  return async (options = {}) => {
    const c = await client(options)
    open.push(c)
    return c
  }
}

export interface RawRes {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The bytes as sent (not decompressed). */
  body: Buffer
}

/** A request through node:http: no automatic Accept-Encoding, no decompression, optional source address. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string; localAddress?: string } = {}
): Promise<RawRes> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { method, headers: init.headers ?? {}, agent: false, ...(init.localAddress ? { localAddress: init.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(init.body)
  })
}
