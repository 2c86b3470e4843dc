// attention.*: the "Needs attention" inbox and its counts (the tray badge, the window title),
// computed from the cache and the app's state on each call: never the network, never remembered.
import { AttentionSettingsSchema } from '../../shared/contract/attention'
import type { Cache } from '../cache'
import type { CoreState } from '../app/state'
import type { InventoryEvents } from '../events'
import type { FeatureHandlers } from '../operation'
import type { SettingsReader } from '../settings/store'
import { computeAttention, type AttentionCache } from './compute'

const SETTINGS_KEY = 'attention.settings'
export const DEFAULT_ATTENTION_SETTINGS = { unusedForDays: 90 }
/** Items of one kind listed at most (the counts stay exact). */
const DEFAULT_LIMIT_PER_KIND = 200
const MIN = 60_000

export interface AttentionDeps {
  cache: AttentionCache & Pick<Cache, 'getSetting' | 'setSetting'>
  state: Pick<CoreState, 'status'>
  settings: SettingsReader
  events: InventoryEvents
  now: () => number
}

export function attentionHandlers({ cache, state, settings, events, now }: AttentionDeps) {
  const own = () => {
    const parsed = AttentionSettingsSchema.safeParse({ ...DEFAULT_ATTENTION_SETTINGS, ...cache.getSetting<object>(SETTINGS_KEY, {}) })
    return parsed.success ? parsed.data : DEFAULT_ATTENTION_SETTINGS
  }
  const compute = (limitPerKind: number, includeInfo = true) => {
    const s = settings.read()
    return computeAttention(cache, {
      now: now(),
      status: state.status(),
      graceLeadsMs: s.graceLeadsMinutes.map((m) => m * MIN),
      expiryLeadsMs: s.expiryLeadsMinutes.map((m) => m * MIN),
      unusedForDays: own().unusedForDays,
      limitPerKind,
      includeInfo
    })
  }
  return {
    'attention.list': async ({ limitPerKind }) => compute(limitPerKind ?? DEFAULT_LIMIT_PER_KIND),
    'attention.count': async () => {
      // What a badge shows; the info kinds (hygiene, costly at scale) are left to the inbox.
      const { badge, critical, warning } = compute(1, false)
      return { badge, critical, warning, info: 0 }
    },
    'attention.getSettings': async () => own(),
    'attention.setSettings': async (input) => {
      cache.setSetting(SETTINGS_KEY, input)
      // What is listed changed: the UI and the tray count again from the one reload signal.
      events.inventoryChanged('attention_settings')
      return own()
    }
  } satisfies FeatureHandlers<'attention'>
}
