// Every input the contract rejects becomes one sentence in the words of the form: never an
// operation name, a field's code name or zod's own wording. Checked over every operation.
import { describe, expect, it } from 'vitest'
import { operations, OPERATION_NAMES } from '../../src/shared/contract'
import { toApiError } from '../../src/core/app/errors'

const CODE_NAMES = /\b(baseUrl|graceHours|tenantId|keyId|instanceId|confirmName|newName|rateLimitPer\w+|expiresAt|input|ref|refs|auth)\b|\w+\.\w+\(|Invalid input|expected|received|Too (small|big)/

const BAD_VALUES: unknown[] = [undefined, null, 42, 'x', '', [], {}, { ref: {} }, { auth: { kind: 'password' } }, { baseUrl: 'not a url', auth: { kind: 'token', token: 'short' } },
  { ref: { instanceId: 'i', tenantId: 'nope', keyId: 'nope' }, graceHours: -1, reason: 'x' }, { input: { name: '', keyType: 'nope', scopes: 'x' } }]

describe('input errors', () => {
  it('are sentences without code names, for every operation and many bad inputs', () => {
    let checked = 0
    for (const name of OPERATION_NAMES) {
      for (const bad of BAD_VALUES) {
        const parsed = operations[name].input.safeParse(bad)
        if (parsed.success) continue
        const error = toApiError(parsed.error)
        expect(error.code).toBe('invalid_input')
        expect(error.message, `${name} ${JSON.stringify(bad)}: ${error.message}`).not.toMatch(CODE_NAMES)
        expect(error.message).toMatch(/^[A-Z"].*[.)]$/)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(200)
  })

  it("names the server address in a person's words", () => {
    const parsed = operations['instances.test'].input.safeParse({ baseUrl: 'fluxbase.example.com', auth: { kind: 'token', token: 'x'.repeat(20) } })
    expect(parsed.success).toBe(false)
    if (!parsed.success) expect(toApiError(parsed.error).message).toBe("Enter the server's full address, starting with https:// (for example https://fluxbase.example.com).")
  })
})
