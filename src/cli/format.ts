// Human output: borderless tables (cli-table3), times, statuses. JSON and CSV never come here.
import Table from 'cli-table3'
import type { KeyRow } from '../shared/contract'
import type { KeyStatus } from '../shared/domain'
import { effectiveGraceEnd, STATUS_LABELS } from '../shared/status'
import { relativeTo } from './duration'
import type { Colours } from './session'

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  '
}

/** Columns separated by two spaces, a bold header on a terminal; no box drawing to copy around. */
export function table(c: Colours, head: string[], rows: Array<Array<string | number>>): string {
  const t = new Table({ head: head.map((h) => c.bold(h)), chars: NO_BORDER, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } })
  for (const row of rows) t.push(row.map((cell) => String(cell)))
  return t.toString().split('\n').map((line) => line.trimEnd()).join('\n')
}

/** 2026-11-28 14:05Z: minutes, in UTC, so two machines print the same. */
export const shortTime = (iso: string | null): string => (iso ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')}Z` : '-')

export const when = (iso: string | null, now: number, never = '-'): string => (iso ? relativeTo(iso, now) : never)

const STATUS_COLOUR: Record<KeyStatus, keyof Pick<Colours, 'green' | 'yellow' | 'red' | 'gray' | 'magenta'>> = {
  active: 'green', grace: 'yellow', grace_ended: 'magenta', disabled: 'gray', expired: 'red', revoked: 'red'
}

export const statusText = (c: Colours, status: KeyStatus): string => c[STATUS_COLOUR[status]](STATUS_LABELS[status])

export const keyTableHead = ['NAME', 'TENANT', 'STATUS', 'TYPE', 'PREFIX', 'LAST USED', 'EXPIRES', 'GRACE ENDS', 'ID']

export function keyTableRow(c: Colours, k: KeyRow, now: number): string[] {
  return [
    k.orphan ? `${k.name} ${c.red('(orphan)')}` : k.name,
    k.tenantName,
    statusText(c, k.status),
    k.keyType,
    k.keyPrefix,
    when(k.lastUsedAt, now, 'never'),
    when(k.expiresAt, now),
    k.deprecatedAt ? when(effectiveGraceEnd(k), now, 'not set') : '-',
    k.id
  ]
}

/** `label: value` lines, labels aligned. */
export function details(c: Colours, pairs: Array<[string, string]>): string {
  const width = Math.max(...pairs.map(([label]) => label.length))
  return pairs.map(([label, value]) => `${c.dim(`${label}:`.padEnd(width + 1))} ${value}`).join('\n')
}
