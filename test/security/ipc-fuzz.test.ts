// The IPC edge, fuzzed: a seeded generator of malformed inputs over every contract operation
// (and names that are not operations), through the real core host's dispatch. Every call must
// answer (never throw, never hang), every refusal must be a sentence with a code of the closed
// set, and the cache must be a sound SQLite file afterwards. Seeded, so a failure repeats.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ERROR_CODES, OPERATION_NAMES, type OperationName } from '../../src/shared/contract'
import { coreFixture, type CoreFixture } from '../support/core-fixture'
import { seededRandom } from '../support/random'

const SEED = 20261202
const CASES = 3000
/** The whole fuzz stops here even if cases remain (bounded on a slow machine). */
const BUDGET_MS = 60_000
const PER_CALL_MS = 10_000
const CODES: ReadonlySet<string> = new Set(API_ERROR_CODES)
/** Setting a passcode and locking would turn every later call into "locked": lock.test.ts covers them. */
const FUZZED = OPERATION_NAMES.filter((n) => n !== 'lock.setPasscode' && n !== 'lock.lock')

const UUID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'
/** Nothing here names a host that could be looked up: a refused loopback port at most. */
const STRINGS = ['', ' ', 'x', 'a'.repeat(5000), '\u0000', 'bill\u0000ing', '%', "'; DROP TABLE keys; --", '"', '🔑', 'ÜBER', '\u202e',
  UUID, UUID.toUpperCase(), 'not-a-uuid', 'http://127.0.0.1:9', 'https://127.0.0.1:9/x?y#z', 'ftp://127.0.0.1', 'sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  '__proto__', 'constructor', 'toString', 'password', 'token', 'all', 'default', 'list', 'csv', 'json', 'revoke', 'disable', 'deprecate', '2026-12-01T00:00:00Z']
const NUMBERS = [0, -0, 1, -1, 24, 8760, 8761, 1.5, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300]
const KEYS = ['instanceId', 'tenantId', 'keyId', 'ref', 'refs', 'input', 'auth', 'kind', 'baseUrl', 'email', 'password', 'token', 'name', 'scopes',
  'graceHours', 'reason', 'mode', 'force', 'confirmName', 'action', 'format', 'query', 'text', 'limit', 'offset', 'sort', 'column', 'direction',
  'statuses', 'tenantIds', 'selected', 'on', 'namespaces', 'names', 'insecureTransport', 'caBundlePath', 'force', '__proto__', 'constructor', 'prototype']

function generator(seed: number) {
  const r = seededRandom(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const value = (depth: number): unknown => {
    const roll = r()
    if (roll < 0.25) return pick(STRINGS)
    if (roll < 0.4) return pick(NUMBERS)
    if (roll < 0.47) return pick([true, false, null, undefined])
    if (roll < 0.6 && depth < 4) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1))
    if (depth < 4) return object(depth + 1)
    return pick(STRINGS)
  }
  const object = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {}
    const n = Math.floor(r() * 5)
    for (let i = 0; i < n; i++) {
      const k = pick(KEYS)
      // A literal __proto__ key, as JSON would deliver it, not a prototype change.
      Object.defineProperty(o, k, { value: value(depth), enumerable: true, configurable: true, writable: true })
    }
    return o
  }
  // Near-valid shapes reach the handlers, not only the schemas.
  const ref = () => ({ instanceId: pick(['i', UUID, '']), tenantId: pick([UUID, 'x']), keyId: pick([UUID, UUID.toUpperCase(), 'y']) })
  const nearValid = (): unknown => pick([
    ref(),
    { ref: ref(), graceHours: pick(NUMBERS), reason: pick(STRINGS) },
    { ref: ref(), input: object(2), graceHours: pick(NUMBERS) },
    { action: pick(['disable', 'revoke', 'deprecate', 'explode']), refs: [ref(), ref(), ref()], reason: pick(STRINGS), graceHours: pick(NUMBERS) },
    { text: pick(STRINGS), limit: pick(NUMBERS), offset: pick(NUMBERS), sort: { column: pick(STRINGS), direction: pick(['asc', 'desc', 'up']) } },
    { baseUrl: pick(['http://127.0.0.1:9', 'https://127.0.0.1:9', 'ftp://127.0.0.1']), auth: { kind: pick(['password', 'token']), email: 'a@b.co', password: pick(STRINGS), token: pick(STRINGS) } },
    { instanceId: pick(['i', UUID]), tenantIds: [UUID], selected: pick([true, 'yes']) },
    { format: pick(['csv', 'json', 'xml']), query: object(2) }
  ])
  return {
    name: (): string => (r() < 0.05 ? pick(['__proto__', 'constructor', 'toString', 'keys', 'keys.', '.get', 'hasOwnProperty', 'keys.get.x']) : pick(FUZZED)),
    input: (): unknown => (r() < 0.5 ? nearValid() : value(0))
  }
}

describe('IPC fuzz', () => {
  let fx: CoreFixture
  beforeAll(async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 2, keysPerTenant: 3, seed: 5 } } })
    await fx.onboard()
    await fx.call('settings.set', { requestTimeoutSeconds: 2 })
  }, 60_000)
  afterAll(async () => fx.close())

  it(`${CASES} malformed calls: each answers at once with a clear error or a value, and the cache stays sound`, async () => {
    const gen = generator(SEED)
    const started = Date.now()
    let ran = 0
    let refused = 0
    for (let i = 0; i < CASES && Date.now() - started < BUDGET_MS; i++) {
      const name = gen.name()
      const input = gen.input()
      const shown = `#${i} ${name} ${JSON.stringify(input)?.slice(0, 200)}`
      let timer: ReturnType<typeof setTimeout> | undefined
      const hang = new Promise<'hang'>((resolve) => { timer = setTimeout(() => resolve('hang'), PER_CALL_MS) })
      const result = await Promise.race([fx.host.dispatch(name as OperationName, input), hang])
      clearTimeout(timer)
      expect(result, `${shown}: no answer within ${PER_CALL_MS} ms`).not.toBe('hang')
      if (result === 'hang') return
      ran++
      if (!result.ok) {
        refused++
        expect(CODES.has(result.error.code), `${shown}: code ${result.error.code}`).toBe(true)
        expect(result.error.message, shown).toMatch(/^\S.{8,}[.)]$/s)
        expect(result.error.message, shown).not.toMatch(/undefined|\[object Object\]|TypeError|at \w+ \(/)
        // An unexpected failure is a bug the fuzz found: name it.
        expect(result.error.code, `${shown}: ${result.error.message}`).not.toBe('internal')
      }
    }
    console.log(`IPC fuzz (seed ${SEED}): ${ran} calls in ${Date.now() - started} ms, ${refused} refused, ${ran - refused} answered`)
    expect(ran).toBeGreaterThan(500)
    await fx.host.close()
    const db = new Database(join(fx.dataDir, 'inventory.sqlite'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    await fx.restart()
  }, 120_000)
})
