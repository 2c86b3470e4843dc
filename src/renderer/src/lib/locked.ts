// Every answer of the api looked at on its way to the caller: one with the code 'locked' (the
// core locked itself: idle, the OS lock, suspend) tells whoever shows the lock screen, whichever
// call it was. Plain TypeScript, no DOM, so it is unit-tested in Node (locked.test.ts).
import type { Api } from '../../../shared/contract'

type Method = (input: unknown) => Promise<unknown>

export const isLockedFailure = (r: unknown): boolean =>
  typeof r === 'object' && r !== null && 'ok' in r && r.ok === false && 'error' in r &&
  typeof r.error === 'object' && r.error !== null && 'code' in r.error && r.error.code === 'locked'

/** The same api, each method's answer passed on unchanged after `onLocked` was told of a 'locked' one. */
export function watchLocked(raw: Api, onLocked: () => void): Api {
  const out: Record<string, unknown> = { on: raw.on }
  for (const [feature, methods] of Object.entries(raw)) {
    if (feature === 'on' || typeof methods !== 'object' || methods === null) continue
    const wrapped: Record<string, Method> = {}
    for (const [verb, method] of Object.entries(methods as Record<string, Method>)) {
      wrapped[verb] = async (input: unknown) => {
        const result = await method(input)
        if (isLockedFailure(result)) onLocked()
        return result
      }
    }
    out[feature] = Object.freeze(wrapped)
  }
  // Built from the object the contract's buildApi made, feature by feature and verb by verb.
  return Object.freeze(out) as unknown as Api
}
