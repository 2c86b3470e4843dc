// The expiry schedule: which warnings to send now and when to look again. Pure.
export { planHorizon, planWarnings, warningId, type PlanKey } from './schedule'
export {
  DEFAULT_EXPIRY_SETTINGS,
  expirySettingsFromMinutes,
  type ExpirySettings,
  type PlanOptions,
  type SchedulePlan,
  type Warning,
  type WarningKind
} from './types'
