// A create or rotate whose response was lost (network cut) leaves a key on the server whose
// value nobody saw. The action log still holds the pending intent; the next sync finds the
// key by name and creation time and flags it for revocation.
import type { Cache, ServerKey } from '../cache'

/** Server clocks drift; accept keys created a little before we logged the intent. */
const CLOCK_SKEW_MS = 5 * 60_000
/** An intent that has found no key this long after it was made never reached the server. */
const GIVE_UP_MS = 15 * 60_000

export const ORPHAN_ACTIONS = new Set(['create', 'rotate', 'replace'])

export function detectOrphans(
  cache: Pick<Cache, 'listActions' | 'patchLocal' | 'completeAction'>,
  instanceId: string,
  tenantId: string,
  serverKeys: ServerKey[],
  now: number,
  inFlight: ReadonlySet<number>
): string[] {
  const flagged: string[] = []
  const pending = cache.listActions({ instanceId, tenantId, pendingOnly: true })
  for (const action of pending) {
    if (!ORPHAN_ACTIONS.has(action.action) || inFlight.has(action.id)) continue
    const expectedName = typeof action.detail.expectedName === 'string' ? action.detail.expectedName : null
    const since = Date.parse(action.at) - CLOCK_SKEW_MS
    const match = expectedName
      ? serverKeys.find((k) => k.name === expectedName && Date.parse(k.createdAt) >= since)
      : undefined
    if (match) {
      cache.patchLocal({ instanceId, tenantId, keyId: match.id }, { orphan: true })
      cache.completeAction(action.id, 'failed', {
        keyId: match.id,
        error: 'The server created this key but its answer never arrived, so nobody has its value. Revoke it.'
      })
      flagged.push(match.id)
    } else if (now - Date.parse(action.at) > GIVE_UP_MS) {
      cache.completeAction(action.id, 'failed', { error: 'The request never reached the server; no key was created.' })
    }
  }
  return flagged
}
