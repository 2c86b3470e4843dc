// A private CA for one instance: a PEM file the operator chose (kept where it is, outside the
// keychain: it is public), trusted for that instance beside the system's roots. Its SHA-256
// fingerprint is recorded when chosen and checked whenever it is read, so a file swapped
// behind the operator's back is refused rather than silently trusted.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { AppError } from '../app/errors'

export interface CaBundle {
  path: string
  /** SHA-256 fingerprint of the bundle's first certificate, as AA:BB:... */
  fingerprint: string
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** Reads and checks a bundle; `expected` is the fingerprint recorded when it was chosen. */
export function readCaBundle(path: string, expected?: string): { pem: string; fingerprint: string } {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new AppError('invalid_input', `The CA bundle ${path} cannot be read (moved, deleted, or not allowed); choose it again in the instance's settings.`)
  }
  const blocks = text.match(PEM_BLOCK) ?? []
  if (blocks.length === 0) throw new AppError('invalid_input', `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); choose the CA's certificate file.`)
  let fingerprint = ''
  for (const [i, block] of blocks.entries()) {
    try {
      const cert = new X509Certificate(block)
      if (i === 0) fingerprint = cert.fingerprint256
    } catch {
      throw new AppError('invalid_input', `Certificate ${i + 1} in ${path} is not a valid X.509 certificate; choose the CA's certificate file.`)
    }
  }
  if (expected && expected !== fingerprint) {
    throw new AppError('certificate', `The CA bundle ${path} changed since it was chosen (it was ${expected}, it is now ${fingerprint}); choose it again in the instance's settings to trust the new one.`)
  }
  return { pem: blocks.join('\n'), fingerprint }
}
