// Serves the built renderer (out/renderer) on 127.0.0.1 with the app's CSP as a header too.
// Files only: no directory listing, no path escapes, GET/HEAD only.
import { createServer, type Server } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

export const RENDERER_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2'
}

export interface RendererServer {
  url: string
  origin: string
  close(): Promise<void>
}

export async function serveRenderer(rootDir: string): Promise<RendererServer> {
  const root = resolve(rootDir)
  await stat(join(root, 'index.html')).catch(() => {
    throw new Error(`The renderer is not built: ${join(root, 'index.html')} is missing. Run \`npm run build\` first.`)
  })
  const server: Server = createServer((req, res) => {
    void (async () => {
      const headers = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end()
        return
      }
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
      const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '')
      const file = resolve(root, rel)
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403, headers).end('Forbidden')
        return
      }
      try {
        const info = await stat(file)
        if (!info.isFile()) throw new Error('not a file')
        const body = await readFile(file)
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length })
        res.end(req.method === 'HEAD' ? undefined : body)
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found')
      }
    })()
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => ok())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('renderer server has no port')
  const origin = `http://127.0.0.1:${address.port}`
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections()
      server.close(() => ok())
    })
  }
}
