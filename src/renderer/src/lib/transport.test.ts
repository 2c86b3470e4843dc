import { describe, expect, it } from 'vitest'
import { isLoopbackHost, plainHttpElsewhere } from './transport'

describe('transport', () => {
  it('knows this computer by name and address', () => {
    for (const h of ['localhost', 'api.localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::1']) expect(isLoopbackHost(h)).toBe(true)
    for (const h of ['192.0.2.10', 'fluxbase.example.com', 'localhost.example.com', '0.0.0.0']) expect(isLoopbackHost(h)).toBe(false)
  })

  it('offers the insecure choice only for plain http to another computer', () => {
    expect(plainHttpElsewhere('http://192.0.2.10:8080')).toBe(true)
    expect(plainHttpElsewhere(' http://fluxbase.internal/ ')).toBe(true)
    expect(plainHttpElsewhere('http://127.0.0.1:8787')).toBe(false)
    expect(plainHttpElsewhere('http://localhost:8787')).toBe(false)
    expect(plainHttpElsewhere('https://fluxbase.example.com')).toBe(false)
    expect(plainHttpElsewhere('fluxbase.example.com')).toBe(false)
  })
})
