// shell.openExternal's rule (src/main/security/external-url.ts): https, on a configured instance's origin.
import { describe, expect, it } from 'vitest'
import { externalAllowlist, isAllowedExternalUrl } from '../../src/main/security/external-url'

const allow = externalAllowlist(['https://fb.example.com', 'https://eu.fb.example.com:8443/api/', 'http://plain.example.com', 'not a url', 'https://user:pw@creds.example.com'])

describe('externalAllowlist', () => {
  it('keeps https origins only', () => {
    expect([...allow].sort()).toEqual(['https://eu.fb.example.com:8443', 'https://fb.example.com'])
  })
})

describe('isAllowedExternalUrl', () => {
  it.each(['https://fb.example.com/dashboard/keys?id=1', 'https://FB.example.com/', 'https://eu.fb.example.com:8443/x'])('allows %s', (url) =>
    expect(isAllowedExternalUrl(url, allow)).toBe(true))

  it.each([
    'http://fb.example.com/', // not https
    'https://evil.example.com/',
    'https://fb.example.com.evil.com/',
    'https://fb.example.com@evil.com/', // credentials trick: host is evil.com
    'https://user@fb.example.com/', // credentials in URL
    'https://eu.fb.example.com/', // wrong port
    'https://plain.example.com/', // configured only as http
    'file:///etc/passwd', 'javascript:alert(1)', 'app://fluxbase-keys/index.html', 'smb://fb.example.com/share', 'not a url', ''
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url, allow)).toBe(false))

  it('refuses everything when no instance is configured', () => {
    expect(isAllowedExternalUrl('https://fb.example.com/', externalAllowlist([]))).toBe(false)
  })
})
