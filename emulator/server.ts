// Server lifecycle: the node:http server, its timers (latency and slow bodies), listen and close.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Sleeps that close() can cancel, and the closed flag every async step checks. */
export class Lifecycle {
  private closed = false
  private readonly timers = new Set<NodeJS.Timeout>()

  isClosed(): boolean {
    return this.closed
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t)
        resolve()
      }, ms)
      this.timers.add(t)
    })
  }

  /** Marks the emulator closed and drops pending sleeps (their requests are never answered). */
  shutdown(): void {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

export interface Listening {
  url: string
  close(): Promise<void>
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  lifecycle: Lifecycle,
  port: number,
  host: string,
  log?: (line: string) => void
): Promise<Listening> {
  const server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      log?.(`emulator error: ${e instanceof Error ? e.message : String(e)}`)
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'Internal Server Error', code: 'INTERNAL_ERROR' }))
      } else res.destroy()
    })
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address() as AddressInfo
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
  return {
    url: `http://${shownHost}:${addr.port}`,
    close() {
      lifecycle.shutdown()
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
