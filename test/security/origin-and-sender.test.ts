// The IPC sender check and the app-origin helpers (src/main/security/{sender,app-origin}.ts).
// Frames are plain objects with the WebFrameMain fields the check reads.
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_ORIGIN, devServerOrigin, isTrustedUrl, originOf, trustedOrigins } from '../../src/main/security/app-origin'
import { checkSender, forbidden } from '../../src/main/security/sender'

const main = { url: APP_ENTRY_URL, processId: 4, routingId: 1, parent: null }
const origins = trustedOrigins(null)

describe('app origin', () => {
  it('compares custom-scheme origins by scheme and host (URL.origin is "null" for them)', () => {
    expect(new URL(APP_ENTRY_URL).origin).toBe('null')
    expect(originOf('app://fluxbase-keys/index.html#/keys')).toBe(APP_ORIGIN)
    expect(originOf('APP://Fluxbase-Keys/x')).toBe(APP_ORIGIN)
    expect(isTrustedUrl('app://fluxbase-keys/deep/page', origins)).toBe(true)
  })

  it.each([
    'app://fluxbase-keys.evil.com/', 'app://evil/', 'file:///work/out/renderer/index.html', 'https://fluxbase-keys/',
    'http://localhost:5173/', 'about:blank', 'javascript:alert(1)', 'data:text/html,hi', ''
  ])('does not trust %s', (url) => expect(isTrustedUrl(url, origins)).toBe(false))

  it('trusts the dev server only when unpackaged and on loopback', () => {
    expect(devServerOrigin('http://localhost:5173/', false)).toBe('http://localhost:5173')
    expect(devServerOrigin('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173')
    expect(devServerOrigin('http://localhost:5173/', true)).toBeNull()
    expect(devServerOrigin('http://example.com:5173/', false)).toBeNull()
    expect(devServerOrigin('file:///x', false)).toBeNull()
    expect(devServerOrigin(undefined, false)).toBeNull()
    const dev = trustedOrigins(devServerOrigin('http://localhost:5173/', false))
    expect(isTrustedUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isTrustedUrl('http://localhost:5174/index.html', dev)).toBe(false)
  })
})

describe('checkSender', () => {
  it('accepts the main frame of our window on the app origin', () => {
    expect(checkSender({ ...main }, main, origins)).toEqual({ ok: true })
  })

  it('refuses a missing frame or a closed window', () => {
    expect(checkSender(null, main, origins).ok).toBe(false)
    expect(checkSender(undefined, main, origins).ok).toBe(false)
    expect(checkSender(main, null, origins).ok).toBe(false)
  })

  it('refuses a subframe, even one on the app origin', () => {
    expect(checkSender({ ...main, routingId: 7, parent: main }, main, origins)).toMatchObject({ ok: false, reason: 'sent from a subframe' })
  })

  it('refuses another window or process', () => {
    expect(checkSender({ ...main, processId: 5 }, main, origins).ok).toBe(false)
    expect(checkSender({ ...main, routingId: 2 }, main, origins).ok).toBe(false)
  })

  it('refuses our window after it navigated off the app origin', () => {
    expect(checkSender({ ...main, url: 'https://evil.example/' }, main, origins)).toMatchObject({ ok: false, reason: 'sent from a page outside the app origin' })
    expect(checkSender({ ...main, url: 'file:///etc/passwd' }, main, origins).ok).toBe(false)
  })

  it('answers the forbidden envelope with an actionable message', () => {
    const result = forbidden()
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('forbidden')
      expect(result.error.retryable).toBe(false)
      expect(result.error.message).toMatch(/refused/)
    }
  })
})
