import type { KeyRef } from '../../shared/domain'

export interface ExpirySettings {
  /** How long before a grace end to warn; default 24 h, 1 h, 10 min. */
  graceLeadsMs: readonly number[]
  /** How long before expires_at to warn; default 7 d, 1 d, 1 h. */
  expiryLeadsMs: readonly number[]
}

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

export const DEFAULT_EXPIRY_SETTINGS: ExpirySettings = Object.freeze({
  graceLeadsMs: Object.freeze([DAY, HOUR, 10 * MIN]),
  expiryLeadsMs: Object.freeze([7 * DAY, DAY, HOUR])
})

/** The persisted settings (contract's SettingsSchema) speak minutes. */
export function expirySettingsFromMinutes(s: { graceLeadsMinutes: number[]; expiryLeadsMinutes: number[] }): ExpirySettings {
  return { graceLeadsMs: s.graceLeadsMinutes.map((m) => m * MIN), expiryLeadsMs: s.expiryLeadsMinutes.map((m) => m * MIN) }
}

export type WarningKind = 'grace_ending' | 'grace_ended' | 'expiring' | 'expired'

export interface Warning {
  /** kind + ref + event time + lead: sent once; a changed event time yields new ids. */
  id: string
  kind: WarningKind
  ref: KeyRef
  keyName: string
  /** The grace end or expires_at (normalised ISO). */
  eventAt: string
  /** 0 for grace_ended/expired. */
  leadMs: number
  title: string
  /** Names and times only, never a key value. */
  body: string
}

export interface SchedulePlan {
  /** To notify now (one per event: the most urgent threshold crossed). Mark all of them sent. */
  due: Warning[]
  /**
   * Set when more than `coalesceAbove` are due: show this instead of `due`, but still mark
   * `due` sent. Its kind, ref and eventAt are those of the most urgent due warning (so a
   * click can open that key); its id starts with 'summary:' and is never marked sent.
   */
  summary: Warning | null
  /** Keys whose grace ended and whose grace_ended warning is not yet sent (drives finish-rotation). */
  graceEnded: KeyRef[]
  /** The earliest future threshold still to be sent, for the timer. */
  nextWakeAt: number | null
}

export interface PlanOptions {
  /** Default 3. */
  coalesceAbove?: number
  /** IANA zone for times in bodies; default the process's. */
  timeZone?: string
  /** The time on an instance's server (this computer's clock plus its measured skew), when known. */
  serverNow?: (instanceId: string) => number
}
