// Append-only log of operator actions. A row is written 'pending' before the server call and
// gets its outcome exactly once afterwards, so an interrupted action stays visible.
import type Database from 'better-sqlite3'
import type { ActionFilter, ActionRecord } from './types'

interface ActionRow {
  id: number
  at: string
  instance_id: string
  tenant_id: string
  key_id: string | null
  action: string
  detail: string
  outcome: ActionRecord['outcome']
  error: string | null
}

function parseDetail(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function toRecord(r: ActionRow): ActionRecord {
  return {
    id: r.id,
    at: r.at,
    instanceId: r.instance_id,
    tenantId: r.tenant_id,
    keyId: r.key_id,
    action: r.action,
    detail: parseDetail(r.detail),
    outcome: r.outcome,
    error: r.error
  }
}

export function createActionLog(db: Database.Database) {
  const insert = db.prepare<[string, string, string, string | null, string, string, string, string | null]>(
    'INSERT INTO actions (at, instance_id, tenant_id, key_id, action, detail, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const get = db.prepare<[number], ActionRow>('SELECT * FROM actions WHERE id = ?')
  const complete = db.prepare<[string, string | null, string | null, string, number]>(
    `UPDATE actions SET outcome = ?, key_id = COALESCE(?, key_id), error = ?, detail = ? WHERE id = ? AND outcome = 'pending'`
  )

  const completeTx = db.transaction(
    (id: number, outcome: 'ok' | 'failed', patch: { keyId?: string; error?: string; detail?: Record<string, unknown> }) => {
      const row = get.get(id)
      if (!row) throw new Error(`Action ${id} is not in the log.`)
      if (row.outcome !== 'pending') throw new Error(`Action ${id} was already completed (${row.outcome}).`)
      // New detail facts are merged in: the facts recorded at the start stay.
      const detail = { ...parseDetail(row.detail), ...(patch.detail ?? {}) }
      complete.run(outcome, patch.keyId ?? null, patch.error ?? row.error, JSON.stringify(detail), id)
    }
  )

  return {
    appendAction(a: Omit<ActionRecord, 'id'>): number {
      const r = insert.run(a.at, a.instanceId, a.tenantId, a.keyId, a.action, JSON.stringify(a.detail ?? {}), a.outcome, a.error)
      return Number(r.lastInsertRowid)
    },
    completeAction(id: number, outcome: 'ok' | 'failed', patch: { keyId?: string; error?: string; detail?: Record<string, unknown> } = {}) {
      completeTx.immediate(id, outcome, patch)
    },
    listActions(filter: ActionFilter): ActionRecord[] {
      const where: string[] = []
      const params: Array<string | number> = []
      const add = (sql: string, value?: string) => {
        where.push(sql)
        if (value !== undefined) params.push(value)
      }
      const instanceId = filter.ref?.instanceId ?? filter.instanceId
      const tenantId = filter.ref?.tenantId ?? filter.tenantId
      if (instanceId !== undefined) add('instance_id = ?', instanceId)
      if (tenantId !== undefined) add('tenant_id = ?', tenantId)
      if (filter.ref) add('key_id = ?', filter.ref.keyId)
      if (filter.pendingOnly) add(`outcome = 'pending'`)
      if (filter.action !== undefined) add('action = ?', filter.action)
      const limit = Math.max(1, Math.min(filter.limit ?? 1000, 10_000))
      const sql = `SELECT * FROM actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`
      return db.prepare<Array<string | number>, ActionRow>(sql).all(...params).map(toRecord)
    }
  }
}
