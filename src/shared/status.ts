import type { KeyMeta, KeyStatus } from './domain'

type StatusFields = Pick<KeyMeta, 'revokedAt' | 'enabled' | 'expiresAt' | 'deprecatedAt' | 'gracePeriodEndsAt' | 'localGraceEndsAt'>

/** The grace end that applies: the server's if it reports one, else the one this app set. */
export function effectiveGraceEnd(key: Pick<KeyMeta, 'gracePeriodEndsAt' | 'localGraceEndsAt'>): string | null {
  return key.gracePeriodEndsAt ?? key.localGraceEndsAt
}

/**
 * One status for core and renderer alike. The order follows what happens to traffic that
 * uses the key: a revoked, disabled or expired key is rejected whatever its deprecation
 * says, so those win over grace states. A deprecated key whose grace end has passed (or
 * was never set, as after the current server's rotate) still authenticates: 'grace_ended'
 * tells the operator that finishing the rotation is their job.
 */
export function keyStatus(key: StatusFields, now: number): KeyStatus {
  if (key.revokedAt) return 'revoked'
  if (!key.enabled) return 'disabled'
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired'
  if (key.deprecatedAt) {
    const graceEnd = effectiveGraceEnd(key)
    return graceEnd && Date.parse(graceEnd) > now ? 'grace' : 'grace_ended'
  }
  return 'active'
}

export const STATUS_LABELS: Record<KeyStatus, string> = {
  active: 'Active',
  grace: 'In grace',
  grace_ended: 'Grace ended',
  disabled: 'Disabled',
  expired: 'Expired',
  revoked: 'Revoked'
}

/** What happens to traffic using a key in this status; shown in confirmations and details. */
export const STATUS_TRAFFIC: Record<KeyStatus, string> = {
  active: 'Requests with this key are accepted.',
  grace: 'Requests are still accepted until the grace period ends; replace the key before then.',
  grace_ended: 'The grace period is over, but the server still accepts this key until you disable or revoke it.',
  disabled: 'Requests with this key are rejected until it is enabled again.',
  expired: 'Requests with this key are rejected: it has expired.',
  revoked: 'Requests with this key are rejected for good: revocation cannot be undone.'
}
