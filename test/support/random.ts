// The seeded PRNG of the tests and benchmarks (the emulator keeps its own on purpose: it must
// not share code with the app's side). mulberry32: small, fast, deterministic; not for secrets.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
