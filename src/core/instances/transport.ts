// How an instance is reached: plain http only to this computer unless the operator chose
// otherwise for the instance, and an optional private CA (a PEM file, fingerprinted).
import type { Instance } from '../../shared/domain'
import { AppError } from '../app/errors'
import { INSECURE_TRANSPORT_MESSAGE } from '../fluxbase/client'
import { isLoopbackHost } from '../fluxbase/http'
import { readCaBundle } from './ca-bundle'

/** How an instance is reached: the operator's choices, checked. */
export interface TransportInput {
  insecureTransport?: boolean
  caBundlePath?: string
}
export interface Transport {
  insecureTransport: boolean
  caBundle: { path: string; fingerprint: string } | null
  caPem: string | null
}

/**
 * Plain http reaches only this computer unless the operator chooses otherwise for the instance;
 * a CA bundle is read and fingerprinted now, so a bad file is refused before anything is saved.
 */
export function checkTransport(baseUrl: string, input: TransportInput): Transport {
  const url = new URL(baseUrl)
  const insecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname)
  if (insecure && !input.insecureTransport) throw new AppError('invalid_input', INSECURE_TRANSPORT_MESSAGE)
  const bundle = input.caBundlePath ? readCaBundle(input.caBundlePath) : null
  return {
    insecureTransport: insecure,
    caBundle: bundle && input.caBundlePath ? { path: input.caBundlePath, fingerprint: bundle.fingerprint } : null,
    caPem: bundle?.pem ?? null
  }
}

/** An instance's recorded transport, its CA bundle read again (and checked against its fingerprint). */
export function transportOf(instance: Pick<Instance, 'insecureTransport' | 'caBundle'>): Transport {
  return {
    insecureTransport: instance.insecureTransport,
    caBundle: instance.caBundle,
    caPem: instance.caBundle ? readCaBundle(instance.caBundle.path, instance.caBundle.fingerprint).pem : null
  }
}
