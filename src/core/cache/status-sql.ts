// Status as SQL over a key row k: predicates equivalent to keyStatus (shared/status.ts) at
// @now, shared by the inventory queries and the tenant counts.
import type { KeyStatus } from '../../shared/domain'

const NOT_EXPIRED = '(k.expires_ms IS NULL OR k.expires_ms > @now)'

export const STATUS_SQL: Record<KeyStatus, string> = {
  active: `(k.state = 0 AND ${NOT_EXPIRED})`,
  grace: `(k.state = 1 AND ${NOT_EXPIRED} AND k.grace_end_ms > @now)`,
  grace_ended: `(k.state = 1 AND ${NOT_EXPIRED} AND (k.grace_end_ms IS NULL OR k.grace_end_ms <= @now))`,
  disabled: '(k.state = 2)',
  expired: '(k.state IN (0, 1) AND k.expires_ms <= @now)',
  revoked: '(k.state = 3)'
}

/** SQLite's largest safe integer stands for "never" (as in the expression indexes). */
export const NEVER_MS = 9007199254740991

/**
 * Aggregate over a set of keys k: the next moment after @now at which the status of one of
 * them changes by itself (an expiry, or the end of a grace period in effect), or NEVER_MS.
 * Statuses read at @now hold until then.
 */
export const NEXT_CHANGE_SQL =
  `min(COALESCE(min(CASE WHEN k.state IN (0, 1) AND k.expires_ms > @now THEN k.expires_ms END), ${NEVER_MS}), ` +
  `COALESCE(min(CASE WHEN k.state = 1 AND k.grace_end_ms > @now THEN k.grace_end_ms END), ${NEVER_MS}))`
