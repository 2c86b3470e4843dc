// Puts a WireReply on the socket, applying the body faults: `truncated` (status line and headers,
// no Content-Length, half the bytes, a clean end) and `slowBody` (the bytes in up to 10 chunks over
// the rule's latency). Both work on the bytes as sent, so on a compressed answer the client gets a
// cut or slow compressed stream, as it would from a real network.
import type { ServerResponse } from 'node:http'
import type { FaultEngine, FaultRule } from './faults'
import type { WireReply } from './http'

export interface WriterDeps {
  faults: FaultEngine
  /** The server's clock: its Date header says this time (so a test can move it, as a skewed server). */
  now(): number
  sleep(ms: number): Promise<void>
  isClosed(): boolean
}

export async function writeWire(res: ServerResponse, requestId: string, wire: WireReply, fault: FaultRule | undefined, deps: WriterDeps): Promise<void> {
  // Fiber sends a Date header on every answer; here it tells the emulator's (movable) clock.
  res.sendDate = false
  const headers: Record<string, string> = { date: new Date(deps.now()).toUTCString(), 'x-request-id': requestId, ...wire.headers }
  const body = wire.body
  if (fault?.kind === 'truncated' && body) {
    res.writeHead(wire.status, headers)
    res.end(body.subarray(0, Math.floor(body.length / 2)))
    return
  }
  if (body) headers['content-length'] = String(body.length)
  res.writeHead(wire.status, headers)
  if (fault?.kind === 'slowBody' && body && body.length > 0) {
    await writeSlowly(res, body, deps.faults.latency(fault, 1000), deps)
    return
  }
  res.end(body)
}

async function writeSlowly(res: ServerResponse, body: Buffer, totalMs: number, deps: WriterDeps): Promise<void> {
  const chunks = Math.min(10, body.length)
  const size = Math.ceil(body.length / chunks)
  for (let off = 0; off < body.length; off += size) {
    if (deps.isClosed() || res.destroyed) return
    res.write(body.subarray(off, off + size))
    await deps.sleep(Math.round(totalMs / chunks))
  }
  res.end()
}
