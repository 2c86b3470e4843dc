// The app passcode, kept as a slow hash (scrypt, N=2^15: ~0.1 s a guess on a laptop) in the
// keychain, never the passcode itself. Verification compares in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { z } from 'zod'

const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const
const KEY_LENGTH = 32

const StoredSchema = z.object({ v: z.literal(1), salt: z.string(), N: z.number(), r: z.number(), p: z.number(), hash: z.string() })

function derive(passcode: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passcode.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

export async function hashPasscode(passcode: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await derive(passcode, salt, PARAMS)
  return JSON.stringify({ v: 1, salt: salt.toString('base64'), N: PARAMS.N, r: PARAMS.r, p: PARAMS.p, hash: hash.toString('base64') })
}

/** False for a wrong passcode and for a stored value that is not a hash of ours. */
export async function verifyPasscode(passcode: string, stored: string): Promise<boolean> {
  let parsed: z.infer<typeof StoredSchema>
  try {
    parsed = StoredSchema.parse(JSON.parse(stored))
  } catch {
    return false
  }
  const expected = Buffer.from(parsed.hash, 'base64')
  const actual = await derive(passcode, Buffer.from(parsed.salt, 'base64'), { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: PARAMS.maxmem })
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
