// The global idempotency middleware as the server ships it (internal/middleware/idempotency.go,
// registered in server_init.go after the rate limiter and before compress and every route, so it
// runs before authentication and sees requests with wrong or stale credentials):
//
// - A key longer than 256 characters is refused with 400 on ANY request, whatever its method or
//   path (the length check comes before "does idempotency apply?").
// - It applies to POST/PUT/DELETE/PATCH under /api/ (minus two app-auth paths) with a non-empty
//   Idempotency-Key. Records are looked up by the key value ALONE (user_id is recorded but, as the
//   middleware runs before auth, it is always empty; it is not part of the lookup anyway).
// - A found record: a different method or path -> 422 IDEMPOTENCY_KEY_MISMATCH; a different
//   non-empty body (SHA-256 of the raw bytes; an empty body on either side is not compared) ->
//   422 IDEMPOTENCY_REQUEST_BODY_MISMATCH; still processing -> 409 IDEMPOTENCY_REQUEST_IN_PROGRESS;
//   completed -> the stored answer is replayed (status, headers including the ORIGINAL
//   X-Request-ID and any Content-Encoding, body bytes) with `Idempotency-Replayed: true`, without
//   running anything; failed -> the record is deleted and the request runs WITHOUT a new record
//   (so that retry's answer is not stored either).
// - No record: one is inserted as "processing" the moment the request arrives (`ON CONFLICT (key)
//   DO NOTHING`: an expired row not yet cleaned up keeps its place, so the request runs but its
//   answer lands in the expired row and is never replayed), the request runs, and the answer is
//   stored: status < 500 as "completed" (401 and 403 included), >= 500 or a returned error as
//   "failed". A recovered panic never reaches the update (recover sits outside this middleware),
//   so the record stays "processing" and the key answers 409 until it expires.
// - Records live 24 h (the DB clock); expired rows are deleted by an hourly cleanup.
//
// With `fixed: true` (EmulatorOptions.serverFixed) the intended behaviour instead: records are
// keyed by the credential too, 401/403 (and errors, panics, >= 500) are not stored, and an expired
// record is replaced.
import { createHash } from 'node:crypto'
import type { Clock } from './clock'
import { header, jsonReply, toWire, type Ctx, type WireReply } from './http'

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000
export const IDEMPOTENCY_MAX_KEY = 256
export const IDEMPOTENCY_CLEANUP_MS = 3600 * 1000
export const REPLAYED_HEADER = 'idempotency-replayed'
const METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH'])
const EXCLUDED_PATHS = new Set(['/api/v1/auth/refresh', '/api/v1/auth/logout'])
/** Headers the replay does not restore. */
const NOT_REPLAYED = new Set(['content-length', 'date'])

type RecordStatus = 'processing' | 'completed' | 'failed'

interface IdempotencyRecord {
  method: string
  path: string
  requestHash: string
  status: RecordStatus
  response?: WireReply
  expiresAt: number
}

/** Handed back by `enter` when the request runs under a record; give it to `complete`. */
export interface IdempotencyTicket {
  readonly lookup: string
}

export type IdempotencyEntry =
  /** The middleware answers by itself (400, 422, 409 or a replay): nothing else runs. */
  | { kind: 'answer'; reply: WireReply }
  /** The request runs; with a ticket, its answer is to be recorded. */
  | { kind: 'run'; ticket?: IdempotencyTicket }

export class IdempotencyMiddleware {
  private readonly rows = new Map<string, IdempotencyRecord>()
  private nextCleanup: number

  constructor(private readonly clock: Clock, private readonly fixed: boolean) {
    this.nextCleanup = clock.now() + IDEMPOTENCY_CLEANUP_MS
  }

  get size(): number {
    return this.rows.size
  }

  enter(ctx: Ctx): IdempotencyEntry {
    const key = header(ctx, 'idempotency-key') ?? ''
    if (key !== '' && key.length > IDEMPOTENCY_MAX_KEY) {
      return answer(400, {
        code: 'IDEMPOTENCY_KEY_TOO_LONG',
        error: 'Invalid Idempotency-Key',
        message: `Idempotency key exceeds maximum length of ${IDEMPOTENCY_MAX_KEY} characters`
      })
    }
    if (key === '' || !METHODS.has(ctx.method) || !ctx.path.startsWith('/api/') || EXCLUDED_PATHS.has(ctx.path)) {
      return { kind: 'run' }
    }
    const now = this.clock.now()
    this.cleanup(now)
    const lookup = this.fixed ? `${key}\u0000${credentialOf(ctx)}` : key
    const requestHash = ctx.rawBody.length === 0 ? '' : createHash('sha256').update(ctx.rawBody).digest('hex')
    const row = this.rows.get(lookup)
    if (row && row.expiresAt > now) {
      if (row.method !== ctx.method || row.path !== ctx.path) {
        return answer(422, {
          code: 'IDEMPOTENCY_KEY_MISMATCH',
          details: { current_method: ctx.method, current_path: ctx.path, original_method: row.method, original_path: row.path },
          error: 'Idempotency Key Mismatch',
          message: 'This idempotency key was used for a different request'
        })
      }
      if (row.requestHash !== '' && requestHash !== '' && row.requestHash !== requestHash) {
        return answer(422, {
          code: 'IDEMPOTENCY_REQUEST_BODY_MISMATCH',
          error: 'Idempotency Key Mismatch',
          message: 'This idempotency key was used with a different request body'
        })
      }
      if (row.status === 'processing') {
        return answer(409, {
          code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
          error: 'Request In Progress',
          hint: 'Please wait and retry in a few seconds',
          message: 'A request with this idempotency key is currently being processed'
        })
      }
      if (row.status === 'completed' && row.response) return { kind: 'answer', reply: replay(row.response) }
      // failed: delete the record and process the request as if there had been no key.
      this.rows.delete(lookup)
      return { kind: 'run' }
    }
    // INSERT ... ON CONFLICT (key) DO NOTHING: an expired row still there keeps its place.
    if (!row || this.fixed) {
      this.rows.set(lookup, { method: ctx.method, path: ctx.path, requestHash, status: 'processing', expiresAt: now + IDEMPOTENCY_TTL_MS })
    }
    return { kind: 'run', ticket: { lookup } }
  }

  /** Stores the answer of a request that ran under `ticket` (`x-request-id` is the request's). */
  complete(ticket: IdempotencyTicket, wire: WireReply, requestId: string, via: 'error' | 'panic' | undefined): void {
    const row = this.rows.get(ticket.lookup)
    if (!row) return // UPDATE ... WHERE key = $1 found nothing (deleted meanwhile)
    if (this.fixed) {
      if (via !== undefined || wire.status >= 500 || wire.status === 401 || wire.status === 403) this.rows.delete(ticket.lookup)
      else this.store(row, 'completed', wire, requestId)
      return
    }
    if (via === 'panic') return // the panic unwound past the update: the record stays "processing"
    this.store(row, via === 'error' || wire.status >= 500 ? 'failed' : 'completed', wire, requestId)
  }

  private store(row: IdempotencyRecord, status: RecordStatus, wire: WireReply, requestId: string): void {
    row.status = status
    const headers: Record<string, string> = { 'x-request-id': requestId }
    for (const [k, v] of Object.entries(wire.headers)) if (!NOT_REPLAYED.has(k)) headers[k] = v
    row.response = { status: wire.status, headers, ...(wire.body ? { body: wire.body } : {}) }
  }

  /** The hourly `DELETE ... WHERE expires_at < NOW()`, on the emulator clock. */
  private cleanup(now: number): void {
    if (now < this.nextCleanup) return
    const lastTick = this.nextCleanup + Math.floor((now - this.nextCleanup) / IDEMPOTENCY_CLEANUP_MS) * IDEMPOTENCY_CLEANUP_MS
    for (const [k, r] of this.rows) if (r.expiresAt < lastTick) this.rows.delete(k)
    this.nextCleanup = lastTick + IDEMPOTENCY_CLEANUP_MS
  }
}

function answer(status: number, body: Record<string, unknown>): IdempotencyEntry {
  return { kind: 'answer', reply: toWire(jsonReply(status, body)) }
}

function replay(stored: WireReply): WireReply {
  return { status: stored.status, headers: { [REPLAYED_HEADER]: 'true', ...stored.headers }, ...(stored.body ? { body: stored.body } : {}) }
}

/** The fixed server's record key part: the credential the request carries. */
function credentialOf(ctx: Ctx): string {
  return `${header(ctx, 'authorization') ?? ''}\u0000${header(ctx, 'cookie') ?? ''}`
}
