// Transport the app refuses to weaken (issue: plain http to a remote server was accepted, and
// NODE_TLS_REJECT_UNAUTHORIZED=0 turned verification off): real TLS servers on loopback with
// throwaway certificates.
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FluxbaseClient, FluxbaseError } from '../../src/core/fluxbase'
import { makeTestCerts, type TestCerts } from '../support/certs'

let certs: TestCerts
beforeAll(() => { certs = makeTestCerts() })

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()) })))
})

async function healthServer(which: keyof TestCerts['server']): Promise<string> {
  const server = createServer({ ...certs.server[which] }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', timestamp: new Date().toISOString() }))
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const client = (baseUrl: string, extra: Partial<ConstructorParameters<typeof FluxbaseClient>[0]> = {}) =>
  new FluxbaseClient({ baseUrl, credential: { kind: 'token', accessToken: 'not-used-by-health' }, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, ...extra })

async function refusal(p: Promise<unknown>): Promise<FluxbaseError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(FluxbaseError)
    return e as FluxbaseError
  }
  throw new Error('expected a refusal')
}

describe('plain http', () => {
  it('reaches this computer only; another host needs the explicit insecure choice', () => {
    expect(() => client('http://127.0.0.1:9')).not.toThrow()
    expect(() => client('http://localhost:9')).not.toThrow()
    for (const url of ['http://192.168.1.20:8080', 'http://fluxbase.lan', 'http://[fd00::1]:8080']) {
      let error: unknown
      try { client(url) } catch (e) { error = e }
      expect(error, url).toMatchObject({ kind: 'argument', code: 'INSECURE_TRANSPORT' })
      expect((error as Error).message).toMatch(/cross the network unencrypted.*Allow insecure transport/)
      expect(() => client(url, { allowInsecureTransport: true })).not.toThrow()
    }
  })
})

describe('TLS verification', () => {
  const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED
  afterAll(() => {
    if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous
  })

  it('an unknown CA is refused as such, even with NODE_TLS_REJECT_UNAUTHORIZED=0, and never as "offline"', async () => {
    const url = await healthServer('valid')
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
    const err = await refusal(client(url).health())
    expect(err.kind).toBe('certificate')
    expect(err.message).toMatch(/not trusted.*signed by an authority this computer does not trust; add that CA as the instance's CA bundle/)
    expect(err.message).not.toMatch(/reach|offline|network/i)
  })

  it("the instance's CA bundle makes the same server trusted, beside the system's roots", async () => {
    const url = await healthServer('valid')
    expect((await client(url, { caPem: certs.caPem }).health()).status).toBe('ok')
  })

  it('an expired certificate and one for another host are named for what they are', async () => {
    const expired = await refusal(client(await healthServer('expired'), { caPem: certs.caPem }).health())
    expect(expired).toMatchObject({ kind: 'certificate', code: 'CERT_HAS_EXPIRED' })
    expect(expired.message).toMatch(/certificate has expired/)
    const other = await refusal(client(await healthServer('otherHost'), { caPem: certs.caPem }).health())
    expect(other).toMatchObject({ kind: 'certificate', code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
    expect(other.message).toMatch(/issued for another host name/)
  })
})
