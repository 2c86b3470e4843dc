// Seeded pseudo-random numbers: seeding and fault rolls must be reproducible run to run.

export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  bytes(n: number): Buffer
  uuid(): string
}

/** mulberry32: tiny, fast, good enough for test data (not for secrets). */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const bytes = (n: number): Buffer => {
    const buf = Buffer.allocUnsafe(n)
    for (let i = 0; i < n; i += 4) {
      const word = Math.floor(next() * 4294967296)
      for (let j = 0; j < 4 && i + j < n; j++) buf[i + j] = (word >>> (j * 8)) & 0xff
    }
    return buf
  }
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from empty list')
      return items[Math.floor(next() * items.length)] as T
    },
    bytes,
    uuid: () => uuidFromBytes(bytes(16))
  }
}

/** Formats 16 bytes as an RFC 4122 version-4 UUID (lower case, like Postgres uuid::text). */
export function uuidFromBytes(b: Buffer): string {
  const v = Buffer.from(b)
  v[6] = ((v[6] ?? 0) & 0x0f) | 0x40
  v[8] = ((v[8] ?? 0) & 0x3f) | 0x80
  const h = v.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** What Go's uuid.Parse accepts in practice for these routes (canonical 36-char form). */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s)
}
