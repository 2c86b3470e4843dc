// The "Needs attention" inbox as the UI holds it. The badge (tab, window title) comes from
// attention.count; the full list (attention.list) only while the inbox is on screen: at 100,000
// keys the list's hygiene items cost a few hundred milliseconds of the core's time, the count
// a fraction of that. Both are asked again after each burst of inventory changes, after a
// warning (a deadline passed), when a server's reachability changes and every few minutes
// (time alone makes a grace period end). The core computes; nothing here decides.
import type { OpOutput } from '../../../shared/contract'
import { api } from './api'
import { Coalescer } from './coalesce'

export type AttentionList = OpOutput<'attention.list'>
export type AttentionItem = AttentionList['items'][number]
export type AttentionCounts = OpOutput<'attention.count'>

/** Time alone changes what is due; the schedule's warnings say so at each deadline, this is the backstop. */
const REFRESH_EVERY_MS = 5 * 60_000

class AttentionStore {
  counts = $state.raw<AttentionCounts | null>(null)
  list = $state.raw<AttentionList | null>(null)
  error = $state<string | null>(null)
  private viewing = 0
  private readonly loads = new Coalescer(() => this.load(), { delayMs: 250, leading: true })
  private timer: ReturnType<typeof setInterval> | null = null

  /** What the badge, the tab and the window title show: urgent items and warnings. */
  get badge(): number {
    return this.counts?.badge ?? 0
  }

  get critical(): number {
    return this.counts?.critical ?? 0
  }

  start(): void {
    this.refresh()
    this.timer ??= setInterval(() => this.refresh(), REFRESH_EVERY_MS)
  }

  refresh(): void {
    this.loads.signal()
  }

  /** The inbox is on screen: keep the full list current until the returned function is called. */
  watch(): () => void {
    this.viewing++
    this.refresh()
    return () => { this.viewing-- }
  }

  private async load(): Promise<void> {
    if (this.viewing > 0) {
      const r = await api.attention.list({})
      if (!r.ok) { this.error = r.error.message; return }
      this.error = null
      this.list = r.value
      const { badge, critical, warning, info } = r.value
      this.counts = { badge, critical, warning, info }
      return
    }
    const r = await api.attention.count({})
    if (!r.ok) { this.error = r.error.message; return }
    this.error = null
    this.counts = r.value
  }
}

export const attention = new AttentionStore()
