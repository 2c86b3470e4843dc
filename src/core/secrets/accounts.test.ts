import { describe, expect, it } from 'vitest'
import { accounts } from './accounts'

describe('accounts', () => {
  it('names entries by instance, and key values under their own prefix', () => {
    expect(accounts.instanceCredential('i1')).toBe('instance:i1:admin')
    expect(accounts.instanceSession('i1')).toBe('instance:i1:session')
    expect(accounts.keyValue('i1', 't1', 'k1')).toBe('key:i1:t1:k1')
    expect(accounts.instanceCredential('i1').startsWith(accounts.instancePrefix('i1'))).toBe(true)
    expect(accounts.instanceSession('i1').startsWith(accounts.instancePrefix('i1'))).toBe(true)
    expect(accounts.keyValue('i1', 't', 'k').startsWith(accounts.keyPrefix('i1'))).toBe(true)
  })

  it('keeps ids with separators from colliding', () => {
    expect(accounts.instanceCredential('a:b').startsWith(accounts.instancePrefix('a'))).toBe(false)
    expect(accounts.keyValue('a:b', 't', 'k').startsWith(accounts.keyPrefix('a'))).toBe(false)
    expect(accounts.keyValue('i', 't:x', 'k')).not.toBe(accounts.keyValue('i', 't', 'x:k'))
  })

  it('leaves UUIDs as they are', () => {
    const id = '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c'
    expect(accounts.instanceCredential(id)).toBe(`instance:${id}:admin`)
  })

  it('rejects empty ids', () => {
    expect(() => accounts.instancePrefix('')).toThrow()
  })
})
