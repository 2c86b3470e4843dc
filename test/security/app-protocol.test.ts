// The app:// file resolver and response headers (src/main/security/app-protocol.ts), against real
// files in a temp dir. The handler itself is plain Node (fetch Response), so this is the real code.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppPath, serveAppRequest } from '../../src/main/security/app-protocol'

let root: string
let outside: string
beforeAll(() => {
  const base = tempDir('fbk-proto-')
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Fluxbase Keys</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}')
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>')
  writeFileSync(join(root, 'assets', 'blob.xyz'), 'x')
  outside = join(base, 'secret.txt')
  writeFileSync(outside, 'do not serve')
  symlinkSync(outside, join(root, 'assets', 'link.txt'))
})

const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, root)

describe('resolveAppPath', () => {
  it('maps / and /index.html to index.html', () => {
    expect(resolveAppPath('app://fluxbase-keys/', root)).toMatchObject({ ok: true, path: join(root, 'index.html'), mime: 'text/html; charset=utf-8' })
    expect(resolveAppPath('app://fluxbase-keys/index.html?x=1#y', root)).toMatchObject({ ok: true, path: join(root, 'index.html') })
  })

  it.each([
    'app://fluxbase-keys/../secret.txt',
    'app://fluxbase-keys/assets/../../secret.txt',
    'app://fluxbase-keys/%2e%2e/secret.txt',
    'app://fluxbase-keys/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://fluxbase-keys/..%2fsecret.txt',
    'app://fluxbase-keys/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd'
  ])('never resolves outside the root: %s', (url) => {
    const result = resolveAppPath(url, root)
    if (result.ok) expect(result.path.startsWith(root + '/')).toBe(true)
    else expect([400, 403]).toContain(result.status)
  })

  it('refuses encoded traversal that would escape after decoding', () => {
    expect(resolveAppPath('app://fluxbase-keys/..%2f..%2fsecret.txt', root)).toEqual({ ok: false, status: 403 })
  })

  it('refuses NUL bytes, backslashes and malformed escapes', () => {
    expect(resolveAppPath('app://fluxbase-keys/index.html%00.png', root)).toEqual({ ok: false, status: 400 })
    expect(resolveAppPath('app://fluxbase-keys/..%5csecret.txt', root)).toEqual({ ok: false, status: 400 })
    expect(resolveAppPath('app://fluxbase-keys/%E0%A4%A', root)).toEqual({ ok: false, status: 400 })
  })

  it('refuses other hosts and schemes', () => {
    expect(resolveAppPath('app://evil/index.html', root)).toEqual({ ok: false, status: 404 })
    expect(resolveAppPath('file:///etc/passwd', root)).toEqual({ ok: false, status: 404 })
    expect(resolveAppPath('not a url', root)).toEqual({ ok: false, status: 400 })
  })
})

describe('MIME types', () => {
  it.each([
    ['a.html', 'text/html; charset=utf-8'], ['a.js', 'text/javascript; charset=utf-8'], ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'], ['a.svg', 'image/svg+xml'], ['a.PNG', 'image/png'], ['a.woff2', 'font/woff2'],
    ['a.json', 'application/json; charset=utf-8'], ['a.unknown', 'application/octet-stream']
  ])('%s is %s', (file, mime) => expect(mimeTypeFor(file)).toBe(mime))
})

describe('serveAppRequest', () => {
  it('serves files with their MIME type, the CSP and nosniff', async () => {
    const response = await get('app://fluxbase-keys/assets/index-abc.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('console.log(1)')
    expect((await get('app://fluxbase-keys/')).headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect((await get('app://fluxbase-keys/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await get('app://fluxbase-keys/assets/blob.xyz')).headers.get('content-type')).toBe('application/octet-stream')
  })

  it('answers errors with the CSP too, and never the outside file', async () => {
    const traversal = await get('app://fluxbase-keys/..%2fsecret.txt')
    expect(traversal.status).toBe(403)
    expect(traversal.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await traversal.text()).not.toContain('do not serve')
    expect((await get('app://fluxbase-keys/missing.js')).status).toBe(404)
    expect((await get('app://fluxbase-keys/assets')).status).toBe(404)
  })

  it('does not follow a symlink out of the bundle', async () => {
    const response = await get('app://fluxbase-keys/assets/link.txt')
    expect(response.status).toBe(403)
    expect(await response.text()).not.toContain('do not serve')
  })

  it('allows GET and HEAD only', async () => {
    expect((await get('app://fluxbase-keys/index.html', 'POST')).status).toBe(405)
    const head = await get('app://fluxbase-keys/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((part) => {
    const [name, ...values] = part.trim().split(/\s+/)
    return [name, values] as const
  }))

  it('denies by default and allows scripts only from the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'none'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
  })

  it('has no unsafe-eval, no inline script, no remote hosts and no network access', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/)
    expect(directives.get('connect-src')).toEqual(["'none'"])
  })

  it('forbids framing, plugins, <base> and form posts', () => {
    for (const name of ['frame-ancestors', 'object-src', 'base-uri', 'form-action', 'frame-src']) {
      expect(directives.get(name), name).toEqual(["'none'"])
    }
  })
})
