// How an instance is reached, through the real core: plain http to another computer only by an
// explicit choice; a private CA as a per-instance bundle, fingerprinted and checked on every use.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeTestCerts, tlsFront } from '../support/certs'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

describe('instance transport', () => {
  let fx: CoreFixture
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
    await fx.close()
  })

  it('refuses plain http to another computer unless the operator chooses it, and says why', async () => {
    fx = await coreFixture()
    const { email, password } = fx.emulator.credentials.instanceAdmin
    const refused = await fx.fail('instances.test', { baseUrl: 'http://192.0.2.10:8080', auth: { kind: 'password', email, password } })
    expect(refused.code).toBe('invalid_input')
    expect(refused.message).toMatch(/unencrypted.*Allow insecure transport/)
    // Chosen: the app tries (this address is a documentation range, so nothing answers).
    const tried = await fx.fail('instances.test', { baseUrl: 'http://192.0.2.10:8080', auth: { kind: 'password', email, password }, insecureTransport: true })
    expect(tried.code).toBe('offline')
    // Loopback needs no choice, and is not marked insecure.
    const { instance } = await fx.call('instances.add', { baseUrl: fx.emulator.url, auth: { kind: 'password', email, password } })
    expect(instance.insecureTransport).toBe(false)
  }, 60_000)

  it('trusts a private CA for its instance only, shows its fingerprint, and refuses a swapped file', async () => {
    fx = await coreFixture()
    const certs = makeTestCerts()
    const front = await tlsFront(fx.emulator.url, certs.server.valid)
    cleanups.push(front.close)
    const { email, password } = fx.emulator.credentials.instanceAdmin
    const auth = { kind: 'password' as const, email, password }
    const untrusted = await fx.fail('instances.add', { baseUrl: front.url, auth })
    expect(untrusted.code).toBe('certificate')
    expect(untrusted.message).toMatch(/authority this computer does not trust/)
    expect(await fx.secrets.list()).toEqual([])

    const { instance } = await fx.call('instances.add', { baseUrl: front.url, auth, caBundlePath: certs.caPath })
    expect(instance.caBundle).toMatchObject({ path: certs.caPath, fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) })
    expect((await fx.call('sync.run', {})).failed).toBe(0)

    // Another CA put in the file's place: refused on the next use, with both fingerprints.
    const other = makeTestCerts()
    writeFileSync(certs.caPath, other.caPem)
    await fx.restart()
    const swapped = await fx.fail('instances.rediscover', { instanceId: instance.id })
    expect(swapped.code).toBe('certificate')
    expect(swapped.message).toMatch(/changed since it was chosen/)
    expect(join(certs.dir, 'ca.pem')).toBe(certs.caPath)
  }, 60_000)
})
