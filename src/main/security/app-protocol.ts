// Serving the built renderer over app://fluxbase-keys/. No electron import: main registers
// `protocol.handle('app', (req) => serveAppRequest(req, rendererDir))`, and the resolver, MIME
// table and headers are unit-tested directly with Node's fetch Request/Response.
import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { APP_HOST, APP_SCHEME } from './app-origin'

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8'
}

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The Content-Security-Policy sent with every app:// response (on top of the <meta> CSP in
 * index.html; a page gets the intersection of both).
 * - default-src 'none': everything not listed below is refused.
 * - script-src 'self': only the bundled scripts; no inline script, no eval.
 * - style-src 'self' 'unsafe-inline': Svelte and the virtual list set `style` attributes at runtime;
 *   styles cannot run code, and img/font/connect limits stop CSS from sending data anywhere.
 * - connect-src 'none': the renderer never talks to the network; all I/O goes through window.api.
 * - frame-ancestors/frame-src/object-src/base-uri/form-action: no framing, plugins, <base> or form posts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "media-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

export function responseHeaders(mime: string): Record<string, string> {
  return {
    'Content-Type': mime,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store'
  }
}

export type Resolution = { ok: true; path: string; mime: string } | { ok: false; status: 400 | 403 | 404 }

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate)
  return rel === '' ? false : !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * Maps `app://fluxbase-keys/<path>` to a file under `rootDir`, lexically. Refuses other schemes and
 * hosts, malformed escapes, NUL bytes, backslashes, and anything that resolves outside rootDir
 * (including `..` smuggled in as %2e%2e or %2f). `/` is index.html.
 */
export function resolveAppPath(requestUrl: string, rootDir: string): Resolution {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return { ok: false, status: 400 }
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 404 }
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return { ok: false, status: 400 }
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 400 }
  if (pathname === '' || pathname === '/') pathname = '/index.html'
  const root = resolve(rootDir)
  const candidate = resolve(root, '.' + (pathname.startsWith('/') ? pathname : `/${pathname}`))
  if (!isInside(root, candidate)) return { ok: false, status: 403 }
  return { ok: true, path: candidate, mime: mimeTypeFor(candidate) }
}

function errorResponse(status: number): Response {
  const text = status === 404 ? 'Not found' : status === 403 ? 'Forbidden' : status === 405 ? 'Method not allowed' : 'Bad request'
  return new Response(text, { status, headers: responseHeaders('text/plain; charset=utf-8') })
}

/** The protocol handler body: GET/HEAD only, a regular file inside rootDir after resolving symlinks. */
export async function serveAppRequest(request: { url: string; method: string }, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405)
  const resolved = resolveAppPath(request.url, rootDir)
  if (!resolved.ok) return errorResponse(resolved.status)
  try {
    // A symlink inside the bundle must not lead outside it.
    const [realRoot, realFile] = await Promise.all([realpath(resolve(rootDir)), realpath(resolved.path)])
    if (!isInside(realRoot, realFile)) return errorResponse(403)
    const info = await stat(realFile)
    if (!info.isFile()) return errorResponse(404)
    const body = request.method === 'HEAD' ? null : await readFile(realFile)
    return new Response(body, { status: 200, headers: responseHeaders(resolved.mime) })
  } catch {
    return errorResponse(404)
  }
}
