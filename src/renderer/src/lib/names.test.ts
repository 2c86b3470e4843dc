import { describe, expect, it } from 'vitest'
import { namespacesInput, namespacesLabel, namespacesProblem, parseNamespaces, suggestReplacementName } from './names'

describe('suggestReplacementName', () => {
  it('adds v2, or the next free version', () => {
    expect(suggestReplacementName('payments-api', new Set())).toBe('payments-api v2')
    expect(suggestReplacementName('payments-api', new Set(['payments-api v2', 'payments-api v3']))).toBe('payments-api v4')
  })
  it('continues a version the old name already has', () => {
    expect(suggestReplacementName('payments-api v2', new Set(['payments-api v2']))).toBe('payments-api v3')
    expect(suggestReplacementName('api V9', new Set())).toBe('api v10')
  })
  it('stays within the name length limit', () => {
    const long = 'x'.repeat(200)
    const s = suggestReplacementName(long, new Set())
    expect(s.length).toBeLessThanOrEqual(200)
    expect(s.endsWith(' v2')).toBe(true)
  })
})

describe('namespaces', () => {
  it('parses a typed list', () => {
    expect(parseNamespaces(' public, billing\nbilling  analytics,')).toEqual(['public', 'billing', 'analytics'])
  })
  it('sends the three meanings', () => {
    expect(namespacesInput('all', 'x')).toBeUndefined()
    expect(namespacesInput('default', 'x')).toEqual([])
    expect(namespacesInput('list', 'a, b')).toEqual(['a', 'b'])
  })
  it('asks for at least one name in a list', () => {
    expect(namespacesProblem('list', ' , ')).toMatch(/at least one/)
    expect(namespacesProblem('list', 'a')).toBeNull()
    expect(namespacesProblem('all', '')).toBeNull()
  })
  it('labels', () => {
    expect(namespacesLabel(null)).toBe('All namespaces')
    expect(namespacesLabel([])).toBe('Default namespace only')
    expect(namespacesLabel(['a', 'b'])).toBe('a, b')
  })
})
