// The inventory as the app shows it: ls (the toolbar's filters, as a table, CSV or JSON), show,
// history, export, and check (the app's warnings as a CI gate).
import { InvalidArgumentError, Option, type Command } from 'commander'
import { toCsv } from '../../core/export'
import type { KeyRow } from '../../shared/contract'
import { effectiveGraceEnd, STATUS_LABELS, STATUS_TRAFFIC } from '../../shared/status'
import { durationOption, formatDuration } from '../duration'
import { CliError, usageError } from '../errors'
import { EXIT } from '../exit-codes'
import { addFilterOptions, addKeyScope, parseSort, queryAll, SORT_HELP, toQuery, type FilterOptions } from '../filters'
import { details, keyTableHead, keyTableRow, shortTime, statusText, table, when } from '../format'
import { CLI_JSON } from '../json'
import { OutputTarget } from '../ports'
import { resolveKey, resolveTenants, type KeyScope } from '../resolve'
import { examples, type CliRun } from '../run'
import type { Session } from '../session'

const keyArgument = ['<key>', "the key: its name, prefix or id (or instance/tenant/key ids, as --json prints them)"] as const

function keyDetails(s: Session, k: KeyRow, now: number): string {
  const graceEnd = effectiveGraceEnd(k)
  const at = (iso: string | null, never = '-') => (iso ? `${shortTime(iso)} (${when(iso, now)})` : never)
  return details(s.out, [
    ['name', k.name],
    ['status', `${statusText(s.out, k.status)}: ${STATUS_TRAFFIC[k.status]}`],
    ['tenant', `${k.tenantName} (${k.tenantSlug}) on ${k.instanceLabel}`],
    ['type', k.keyType],
    ['prefix', k.keyPrefix],
    ['scopes', k.scopes.join(', ') || '-'],
    ['namespaces', k.allowedNamespaces === null ? 'all' : k.allowedNamespaces.join(', ') || 'default only'],
    ['rate limits', `${k.rateLimitPerMinute ?? '-'}/min, ${k.rateLimitPerHour ?? '-'}/h`],
    ['description', k.description ?? '-'],
    ['created', `${at(k.createdAt)}${k.createdBy ? ` by ${k.createdBy}` : ''}`],
    ['last used', at(k.lastUsedAt, 'never')],
    ['expires', at(k.expiresAt, 'never')],
    ...(k.deprecatedAt ? [['deprecated', at(k.deprecatedAt)] as [string, string], ['grace ends', at(graceEnd, 'not set')] as [string, string]] : []),
    ...(k.replacedBy || k.localReplacedBy ? [['replaced by', (k.replacedBy ?? k.localReplacedBy) as string] as [string, string]] : []),
    ...(k.revokedAt ? [['revoked', `${at(k.revokedAt)}${k.revocationReason ? `: ${k.revocationReason}` : ''}`] as [string, string]] : []),
    ['value stored', k.hasStoredValue ? 'yes, in the keychain (fluxbase-keys copy)' : 'no'],
    ...(k.orphan ? [['orphan', s.out.red('issued by an action whose answer never arrived: revoke it')] as [string, string]] : []),
    ['synced', at(k.syncedAt)],
    ['id', `${k.instanceId}/${k.tenantId}/${k.id}`]
  ])
}

export function registerInventory(program: Command, run: CliRun): void {
  addFilterOptions(program.command('ls').alias('list').description('list cached keys with the filters of the app (table, --csv or --json)'))
    .addOption(new Option('--sort <column>', `sort by ${SORT_HELP}`).argParser(parseSort))
    .addOption(new Option('--limit <n>', 'at most this many keys (default: all)').argParser((v: string) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Give a whole number of keys, at least 1.')
      return n
    }))
    .option('--csv', 'CSV with the export columns')
    .addHelpText('after', examples(
      'fluxbase-keys ls --status grace,grace_ended',
      'fluxbase-keys ls --tenant acme --expiring-within 30d',
      'fluxbase-keys ls --unused-for 90d --type service --sort lastUsedAt',
      'fluxbase-keys ls --text ci-deploy --json | jq -r ".rows[].id"',
      'fluxbase-keys ls --csv > keys.csv'
    ))
    .action(run.action<FilterOptions & { sort?: ReturnType<typeof parseSort>; limit?: number; csv?: boolean }>(async (s, o) => {
      if (o.csv && s.json) throw usageError('Choose one output: --csv or --json.')
      const query = { ...(await toQuery(s, o)), ...(o.sort ? { sort: o.sort } : {}) }
      const { rows, total } = await queryAll(s, query, o.limit)
      if (s.json) return s.emit(CLI_JSON.ls, { rows, total, totalExact: true })
      if (o.csv) return void s.io.stdout.write(toCsv(rows))
      if (rows.length === 0) return s.info('No cached key matches. (Sync first if the cache is empty: fluxbase-keys sync)')
      const now = Date.now()
      s.print(table(s.out, keyTableHead, rows.map((k) => keyTableRow(s.out, k, now))))
      s.info(rows.length < total ? `${rows.length} of ${total} keys (raise --limit for more)` : `${total} keys`)
    }))

  addKeyScope(program.command('show').description("one key's details, from the cache"))
    .argument(...keyArgument)
    .addHelpText('after', examples('fluxbase-keys show ci-deploy --tenant acme', 'fluxbase-keys show 0b5c7a4e-… --json'))
    .action(run.action<KeyScope>(async (s, o, [text]) => {
      const found = await resolveKey(s, text as string, o)
      const shown = await s.call('keys.get', { instanceId: found.instanceId, tenantId: found.tenantId, keyId: found.id })
      if (s.json) return s.emit(CLI_JSON.show, shown)
      s.print(keyDetails(s, shown.key, Date.now()))
    }))

  addKeyScope(program.command('history').description("a key's history: this app's actions and the server's revocation record"))
    .argument(...keyArgument)
    .addHelpText('after', examples('fluxbase-keys history ci-deploy --tenant acme', 'fluxbase-keys history ci-deploy --tenant acme --json'))
    .action(run.action<KeyScope>(async (s, o, [text]) => {
      const key = await resolveKey(s, text as string, o)
      const { entries } = await s.call('keys.history', { instanceId: key.instanceId, tenantId: key.tenantId, keyId: key.id })
      if (s.json) return s.emit(CLI_JSON.history, { entries })
      s.print(table(s.out, ['WHEN', 'SOURCE', 'OUTCOME', 'WHAT'], entries.map((e) => [
        shortTime(e.at), e.source, e.outcome === 'ok' ? e.outcome : s.out.yellow(e.outcome), e.detail
      ])))
    }))

  addFilterOptions(program.command('export').description('save the (filtered) inventory as CSV or JSON: metadata only, never a value'))
    .addOption(new Option('--format <format>', 'csv or json (default: from the --output name, else csv)').choices(['csv', 'json']))
    .option('-o, --output <file>', 'where to write (default: fluxbase-keys-<date>.<format> in this folder)')
    .option('--force', 'replace the file if it exists')
    .addHelpText('after', examples('fluxbase-keys export --output keys.csv', 'fluxbase-keys export --status grace --format json -o grace.json'))
    .action(run.action<FilterOptions & { format?: 'csv' | 'json'; output?: string; force?: boolean }>(async (s, o) => {
      const format = o.format ?? (o.output?.toLowerCase().endsWith('.json') ? 'json' : 'csv')
      const target = new OutputTarget(o.output, s.io.cwd, o.force === true)
      s.exportTarget = target
      const saved = await s.call('export.save', { format, query: await toQuery(s, o) })
      if (target.refused) throw usageError(`${target.refused} already exists: choose another --output, or add --force to replace it.`)
      if (saved.path === null) throw new CliError('cancelled', 'The export was not written.', EXIT.failure)
      if (s.json) return s.emit(CLI_JSON.export, saved)
      s.print(`Wrote ${saved.rows} keys to ${saved.path}.`)
    }))

  program.command('check').description('fail (exit 6) when a grace period ends or a key expires within a time, or a rotation is overdue: for CI')
    .addOption(new Option('--within <duration>', 'how far ahead to look, e.g. 72h or 7d').default(72 * 3_600_000, '72h').argParser(durationOption('h')))
    .option('--instance <instance>', 'only this instance: id, label or URL')
    .addOption(new Option('--tenant <tenant>', 'only this tenant: id, slug or name (repeatable)').argParser((v: string, p: string[] = []) => [...p, v]))
    .addHelpText('after', examples(
      'fluxbase-keys check --within 72h',
      '# a CI job: fresh data, then the gate (exit 6 fails the job)',
      'fluxbase-keys sync --quiet && fluxbase-keys check --within 7d',
      'fluxbase-keys check --within 48h --json > check.json'
    ) + '\nChecked: enabled keys whose grace period ends or that expire within the window, and keys\nwhose grace period has already ended but that still work (finish the rotation). Expired,\ndisabled and revoked keys carry no traffic and are not counted. The data is the cache as of\nthe last sync: run `fluxbase-keys sync` first.\n')
    .action(run.action<{ within: number; instance?: string; tenant?: string[] }>(async (s, o) => {
      // A gate with nothing to look at must not pass: a CI job without an instance is misconfigured.
      if ((await s.call('instances.list', {})).length === 0) {
        throw usageError('No Fluxbase instance is configured, so there is nothing to check: add one with `fluxbase-keys instances add`, then `fluxbase-keys sync`.')
      }
      const scope = await toQuery(s, { ...(o.instance ? { instance: o.instance } : {}), ...(o.tenant ? { tenant: o.tenant } : {}) })
      const withinMs = Math.round(o.within)
      const [graceEnding, expiring, overdue] = await Promise.all([
        queryAll(s, { ...scope, statuses: ['grace'], graceEndingWithinMs: withinMs, sort: { column: 'graceEndsAt', direction: 'asc' } }),
        queryAll(s, { ...scope, statuses: ['active', 'grace'], expiringWithinMs: withinMs, sort: { column: 'expiresAt', direction: 'asc' } }),
        queryAll(s, { ...scope, statuses: ['grace_ended'], sort: { column: 'graceEndsAt', direction: 'asc' } })
      ])
      const status = await s.call('app.status', {})
      const tenants = await resolveTenants(s, o.tenant ?? [], scope.instanceId)
      const staleTenants = (await s.call('tenants.list', {}))
        .filter((t) => t.selected && t.sync.kind !== 'fresh' && (scope.instanceId === undefined || t.instanceId === scope.instanceId) && (tenants.length === 0 || tenants.some((n) => n.id === t.id)))
        .map((t) => ({ instanceId: t.instanceId, tenantId: t.id, name: t.name, reason: t.sync.kind === 'never' ? 'never synced' : 'reason' in t.sync ? t.sync.reason : '' }))
      const ok = graceEnding.rows.length + expiring.rows.length + overdue.rows.length === 0
      const window = formatDuration(withinMs)
      if (s.json) {
        s.emit(CLI_JSON.check, {
          ok, withinMs, checkedAt: new Date().toISOString(), lastSyncAt: status.lastSyncAt,
          graceEnding: graceEnding.rows, expiring: expiring.rows, overdue: overdue.rows, staleTenants
        })
      } else {
        const now = Date.now()
        const lines = [
          ...graceEnding.rows.map((k) => ['grace ends', when(effectiveGraceEnd(k), now), k]),
          ...expiring.rows.map((k) => ['expires', when(k.expiresAt, now), k]),
          ...overdue.rows.map((k) => ['grace ended', when(effectiveGraceEnd(k), now, 'date unknown'), k])
        ] as Array<[string, string, KeyRow]>
        if (lines.length > 0) {
          s.print(table(s.out, ['WHY', 'WHEN', 'NAME', 'TENANT', 'INSTANCE', 'STATUS', 'ID'], lines.map(([why, at, k]) => [
            why, at, k.name, k.tenantName, k.instanceLabel, STATUS_LABELS[k.status], k.id
          ])))
        }
        const parts = [
          graceEnding.rows.length > 0 ? `${graceEnding.rows.length} grace period${graceEnding.rows.length === 1 ? ' ends' : 's end'}` : null,
          expiring.rows.length > 0 ? `${expiring.rows.length} key${expiring.rows.length === 1 ? ' expires' : 's expire'}` : null
        ].filter(Boolean)
        const soon = parts.length > 0 ? `${parts.join(' and ')} within ${window}` : `nothing ends within ${window}`
        const late = overdue.rows.length > 0 ? `; ${overdue.rows.length} rotation${overdue.rows.length === 1 ? ' is' : 's are'} overdue (grace ended, key still accepted)` : ''
        const asOf = status.lastSyncAt ? `data synced ${shortTime(status.lastSyncAt)}` : 'never synced'
        s.print(`${ok ? s.out.green('OK') : s.out.red('FAIL')}: ${soon}${late} (${asOf}).`)
      }
      for (const t of staleTenants) s.warn(`${t.name} was not synced successfully (${t.reason}): its keys may be out of date.`)
      return ok ? EXIT.ok : EXIT.due
    }))
}
