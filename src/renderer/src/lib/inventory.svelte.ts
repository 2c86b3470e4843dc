// The inventory window: query state (filters, search, sort), pages fetched on demand
// through inventory.query, and the multi-selection.
import type { InventoryQueryInput, KeyRow } from '../../../shared/contract'
import type { KeyRef, KeyStatus } from '../../../shared/domain'
import { SvelteMap } from 'svelte/reactivity'
import { api } from './api'
import { refId, rowRef } from './refs'

/**
 * About one screen of rows (26 at 900 px, plus overscan): a query change waits for one page,
 * and a bigger one only costs transfer and validation time before the first paint.
 */
export const PAGE_SIZE = 50
/** The exact total of a broad query is counted once the query has stood this long. */
const COUNT_AFTER_MS = 250
const DAY = 86_400_000

export type SortColumn = NonNullable<InventoryQueryInput['sort']>['column']

export interface Filters {
  /** An instance id: the table shows this instance's keys ('' for every instance). */
  instanceId: string
  /** `instanceId|tenantId`: one tenant ('' for every tenant of the instance in view). */
  tenantId: string
  keyType: string
  status: KeyStatus | ''
  expiringWithinDays: number
  unusedForDays: number
}

export const emptyFilters = (): Filters => ({ instanceId: '', tenantId: '', keyType: '', status: '', expiringWithinDays: 0, unusedForDays: 0 })

/** What a selected key brings along, so the bulk dry run can group and flag without asking again. */
export interface SelectedKey {
  ref: KeyRef
  name: string
  tenantName: string
  lastUsedAt: string | null
}

const selectedOf = (row: KeyRow): SelectedKey => ({ ref: rowRef(row), name: row.name, tenantName: row.tenantName, lastUsedAt: row.lastUsedAt })

/** The other end of a rotation, as far as the renderer has seen it. */
export interface RotationLink { keyId: string; name: string }

class InventoryStore {
  filters = $state<Filters>(emptyFilters())
  /** What the search box shows; `text` follows it. */
  searchInput = $state('')
  text = $state('')
  /**
   * The search text of the rows on screen: marks follow the answer, not the keystroke, so the
   * old rows kept until the new query answers are not marked again (a second DOM pass per
   * keystroke) with a text they were not found by.
   */
  shownText = $state('')
  sort = $state<{ column: SortColumn; direction: 'asc' | 'desc' }>({ column: 'name', direction: 'asc' })
  total = $state(0)
  /** False while `total` is a lower bound (a broad query, counted up to a cap). */
  totalExact = $state(true)
  loadedOnce = $state(false)
  error = $state<string | null>(null)
  pages = $state.raw<Record<number, KeyRow[]>>({})
  readonly selection = new SvelteMap<string, SelectedKey>()
  /**
   * New keys of rotations in the scope in view (instance, tenant): successor id → the old key.
   * From the old keys still in rotation (grace, grace ended), asked in the background after the
   * rows, and from every page loaded; the table labels both ends with it.
   */
  replaces = $state.raw<ReadonlyMap<string, RotationLink>>(new Map())
  private replacesScope = ''
  selectingAll = $state(false)
  /**
   * The followed key (the open one) as the newest page holding it has it: after a change the
   * page usually arrives long before keys.get, which waits for the server's history.
   */
  followed = $state.raw<KeyRow | null>(null)
  private followedId: string | null = null
  private stale: Record<number, KeyRow[]> = {}
  /** reset() kept the old query's first page on screen: the next answer drops it. */
  private replacingQuery = false
  private generation = 0
  private inFlight = new Set<number>()
  /** Generations whose exact total is known / has been asked for. */
  private exactFor = -1
  private countingFor = -1

  /** The query without its window, as the core expects it. */
  get query(): InventoryQueryInput {
    const f = this.filters
    const q: InventoryQueryInput = { sort: this.sort }
    if (this.text.trim()) q.text = this.text.trim()
    if (f.tenantId) {
      const [instanceId, tenantId] = f.tenantId.split('|') as [string, string]
      q.instanceId = instanceId
      q.tenantIds = [tenantId]
    } else if (f.instanceId) q.instanceId = f.instanceId
    if (f.keyType) q.keyTypes = [f.keyType]
    if (f.status) q.statuses = [f.status]
    if (f.expiringWithinDays > 0) q.expiringWithinMs = f.expiringWithinDays * DAY
    if (f.unusedForDays > 0) q.unusedForDays = f.unusedForDays
    return q
  }

  /** The tenants the table is narrowed to (a sync does these first); empty when it shows all. */
  get tenantsInView(): string[] {
    const q = this.query
    return q.tenantIds ?? []
  }

  /** The tenant the table is narrowed to, if one. */
  get tenantInView(): { instanceId: string; tenantId: string } | null {
    if (!this.filters.tenantId) return null
    const [instanceId, tenantId] = this.filters.tenantId.split('|') as [string, string]
    return { instanceId, tenantId }
  }

  /** The instance the table is narrowed to (also when narrowed to one of its tenants), or ''. */
  get instanceInView(): string {
    return this.tenantInView?.instanceId ?? this.filters.instanceId
  }

  get activeFilterCount(): number {
    const f = this.filters
    return [f.instanceId || f.tenantId, f.keyType, f.status, f.expiringWithinDays, f.unusedForDays].filter(Boolean).length + (this.text.trim() ? 1 : 0)
  }

  /** Narrow the table to one instance ('' for all), or one of its tenants. */
  scope(instanceId: string, tenantId = ''): void {
    this.filters.instanceId = instanceId
    this.filters.tenantId = instanceId && tenantId ? `${instanceId}|${tenantId}` : ''
  }

  setSearch(value: string): void {
    this.searchInput = value
    // No debounce: a page with a capped count answers in a few ms even for one letter, and
    // answers to superseded queries are dropped by the generation check in load().
    this.text = value
  }

  /** Everything but the scope (instance, tenant), which the sidebar shows and keeps. */
  clearFilters(): void {
    const { instanceId, tenantId } = this.filters
    this.filters = { ...emptyFilters(), instanceId, tenantId }
    this.searchInput = ''
    this.text = ''
  }

  clearAll(): void {
    this.filters = emptyFilters()
    this.searchInput = ''
    this.text = ''
  }

  sortBy(column: SortColumn): void {
    this.sort = this.sort.column === column
      ? { column, direction: this.sort.direction === 'asc' ? 'desc' : 'asc' }
      : { column, direction: 'asc' }
  }

  /**
   * The query changed: forget every page. The first page on screen stays until the new
   * query's first answer replaces it (no flash of placeholders while typing, and the row
   * elements are patched in place instead of rebuilt twice per keystroke); nothing else of
   * the old query is kept.
   */
  reset(): void {
    this.generation++
    this.inFlight.clear()
    this.stale = this.pages[0] ? { 0: this.pages[0] } : {}
    this.pages = {}
    this.loadedOnce = false
    this.replacingQuery = true
  }

  /** The data changed under the same query: keep showing old rows until fresh ones arrive. */
  refresh(first: number, last: number): void {
    this.generation++
    this.inFlight.clear()
    this.replacingQuery = false
    this.stale = { ...this.stale, ...this.pages }
    this.pages = {}
    this.ensure(first, last)
  }

  /** The row of `ref` in the pages loaded so far (fresh or still shown), if any. */
  cachedRow(ref: KeyRef): KeyRow | undefined {
    const id = refId(ref)
    for (const rows of [...Object.values(this.pages), ...Object.values(this.stale)]) {
      const row = rows.find((r) => refId(rowRef(r)) === id)
      if (row) return row
    }
    return undefined
  }

  /**
   * An action answered with the key's new row: show it in the loaded pages at once. Where the
   * change moves the row (sort, filters), the reload that the action's inventory.changed event
   * brings puts it in place.
   */
  patchRow(row: KeyRow): void {
    const id = refId(rowRef(row))
    const patch = (pages: Record<number, KeyRow[]>): Record<number, KeyRow[]> | null => {
      let changed = false
      const next: Record<number, KeyRow[]> = {}
      for (const [p, rows] of Object.entries(pages)) {
        const i = rows.findIndex((r) => refId(rowRef(r)) === id)
        if (i >= 0) {
          changed = true
          next[Number(p)] = rows.with(i, row)
        } else next[Number(p)] = rows
      }
      return changed ? next : null
    }
    const stale = patch(this.stale)
    if (stale) this.stale = stale
    const pages = patch(this.pages)
    // `stale` is not reactive: a new `pages` object makes rowAt() read it again.
    if (pages || stale) this.pages = pages ?? { ...this.pages }
  }

  /** Track `ref`'s row in the pages that arrive from now on (see `followed`); returns the stop function. */
  follow(ref: KeyRef): () => void {
    const id = refId(ref)
    this.followedId = id
    this.followed = null
    return () => {
      if (this.followedId !== id) return
      this.followedId = null
      this.followed = null
    }
  }

  rowAt(index: number): KeyRow | undefined {
    const p = Math.floor(index / PAGE_SIZE)
    return (this.pages[p] ?? this.stale[p])?.[index % PAGE_SIZE]
  }

  /** Fetch the pages covering rows first..last that are not loaded yet. */
  ensure(first: number, last: number): void {
    const from = Math.max(0, Math.floor(first / PAGE_SIZE))
    const to = Math.max(from, Math.floor(Math.max(first, last) / PAGE_SIZE))
    for (let p = from; p <= to; p++) {
      if (!this.pages[p] && !this.inFlight.has(p)) void this.load(p)
    }
  }

  private async load(page: number): Promise<void> {
    const gen = this.generation
    const text = this.text.trim()
    this.inFlight.add(page)
    // A capped count keeps a broad query as fast as a narrow one; the exact total follows.
    const r = await api.inventory.query({ ...this.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE, count: 'capped' })
    if (gen !== this.generation) return
    this.inFlight.delete(page)
    if (!r.ok) {
      this.error = r.error.message
      // Rows of the old query must not stand under the new query's error.
      if (this.replacingQuery) {
        this.replacingQuery = false
        this.stale = {}
        this.pages = { ...this.pages }
      }
      return
    }
    this.error = null
    if (this.shownText !== text) this.shownText = text
    this.pages = { ...this.pages, [page]: r.value.rows }
    this.learnRotations(r.value.rows)
    if (this.followedId) {
      const id = this.followedId
      const hit = r.value.rows.find((row) => refId(rowRef(row)) === id)
      if (hit) this.followed = hit
    }
    // A new query's first answer: what was kept of the old one goes.
    const staleCopy = this.replacingQuery ? {} : { ...this.stale }
    this.replacingQuery = false
    delete staleCopy[page]
    this.stale = staleCopy
    if (r.value.totalExact) {
      this.total = r.value.total
      this.totalExact = true
      this.exactFor = gen
    } else if (this.exactFor !== gen) {
      this.total = r.value.total
      this.totalExact = false
      void this.countExactly(gen)
    }
    this.loadedOnce = true
  }

  /**
   * The exact total, asked once per generation after its rows have been shown and only if
   * the query still stands after COUNT_AFTER_MS: while someone types, each letter would
   * otherwise queue a full count (a 1-2 letter search scans every row) ahead of the next page.
   */
  private async countExactly(gen: number): Promise<void> {
    if (this.countingFor === gen) return
    this.countingFor = gen
    await new Promise((resolve) => setTimeout(resolve, COUNT_AFTER_MS))
    if (gen !== this.generation) return
    const r = await api.inventory.count(this.query)
    if (gen !== this.generation || !r.ok) return
    this.total = r.value.total
    this.totalExact = true
    this.exactFor = gen
  }

  /** Old keys in these rows name their successors: remember which key each new one replaces. */
  private learnRotations(rows: readonly KeyRow[]): void {
    const learned: Array<[string, RotationLink]> = []
    for (const row of rows) {
      const successor = row.replacedBy ?? row.localReplacedBy
      if (successor && this.replaces.get(successor)?.keyId !== row.id) learned.push([successor, { keyId: row.id, name: row.name }])
    }
    if (learned.length > 0) this.replaces = new Map([...this.replaces, ...learned])
  }

  /**
   * The old keys still in rotation in the scope in view (at most 1,000), asked after the rows
   * have painted: the new keys they name are labelled in the table. Asked again after data
   * changes (`force`) or a scope change, never per keystroke of a search.
   */
  async loadRotations(force = false): Promise<void> {
    const q = this.query
    const scope: InventoryQueryInput = { statuses: ['grace', 'grace_ended'], limit: 1000, count: 'capped', sort: { column: 'name', direction: 'asc' } }
    if (q.instanceId) scope.instanceId = q.instanceId
    if (q.tenantIds) scope.tenantIds = q.tenantIds
    const key = JSON.stringify(scope)
    if (!force && key === this.replacesScope) return
    this.replacesScope = key
    const r = await api.inventory.query(scope)
    if (!r.ok || key !== this.replacesScope) return
    this.replaces = new Map()
    this.learnRotations(r.value.rows)
  }

  isSelected(row: KeyRow): boolean {
    return this.selection.has(refId(rowRef(row)))
  }

  toggle(row: KeyRow, on?: boolean): void {
    const id = refId(rowRef(row))
    const want = on ?? !this.selection.has(id)
    if (want) this.selection.set(id, selectedOf(row))
    else this.selection.delete(id)
  }

  clearSelection(): void {
    this.selection.clear()
  }

  /** Select every key matching the current query (bulk actions take up to 10,000). */
  async selectAllMatching(): Promise<string | null> {
    const limit = 1000
    const cap = 10_000
    const next: [string, SelectedKey][] = []
    this.selectingAll = true
    try {
      let more = false
      for (let offset = 0; offset < cap; offset += limit) {
        const r = await api.inventory.query({ ...this.query, offset, limit, count: 'capped' })
        if (!r.ok) return r.error.message
        for (const row of r.value.rows) next.push([refId(rowRef(row)), selectedOf(row)])
        more = r.value.rows.length === limit
        if (!more) break
      }
      if (more) {
        // Exactly `cap` rows fetched: only the count can say whether any were left out.
        const r = await api.inventory.count(this.query)
        more = !r.ok || r.value.total > cap
      }
      this.selection.clear()
      for (const [k, v] of next) this.selection.set(k, v)
      return more ? `Selected the first ${cap.toLocaleString()} keys: bulk actions take at most that many at once.` : null
    } finally {
      this.selectingAll = false
    }
  }
}

export const inventory = new InventoryStore()
