// One key's actions (create, update, copy, disable, enable, deprecate, rotate, finish, revoke,
// delete) and their bulk forms: the same command with a filter instead of a key, a --dry-run
// first, then --yes. disable, deprecate and revoke in bulk are the core's bulk.preview/bulk.run;
// rotate and finish in bulk run the core's single-key operation for each matching key.
import { InvalidArgumentError, Option, type Command } from 'commander'
import pLimit from 'p-limit'
import type { KeyRow, OpInput } from '../../shared/contract'
import type { KeyRef, KeyStatus } from '../../shared/domain'
import { RULES } from '../../shared/rules'
import { STATUS_LABELS } from '../../shared/status'
import { systemClipboard } from '../clipboard'
import { durationOption, formatDuration, parseDuration, toHours } from '../duration'
import { CliError, usageError } from '../errors'
import { EXIT, type ExitCode } from '../exit-codes'
import { addFilterOptions, addKeyScope, hasFilter, queryAll, toQuery, type FilterOptions } from '../filters'
import { statusText, table } from '../format'
import { CLI_JSON } from '../json'
import { confirmed } from '../prompts'
import { refOf, resolveInstance, resolveKey, resolveTenants } from '../resolve'
import { examples, type CliRun } from '../run'
import type { Session } from '../session'
import { checkReveal, handOver, REVEAL_HELP, reportIssued, type Issued } from './issue'

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)]
const positiveInt = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Give a whole number, at least 1.')
  return n
}
const keyArg = ['[key]', 'the key: its name, prefix or id (or instance/tenant/key ids); leave it out and give a filter for the bulk form'] as const
const graceOption = () => new Option('--grace <duration>', 'grace period before the old key should stop working, in whole hours: 48h, 2d, 1w (a bare number counts in hours)').argParser(durationOption('h'))

interface ScopeOptions { instance?: string; tenant?: string[] }
interface BulkOptions extends FilterOptions { all?: boolean; dryRun?: boolean; yes?: boolean }

/** The bulk-form options: the filters, --all, --dry-run, --yes. */
function addBulkOptions(cmd: Command): Command {
  return addFilterOptions(cmd)
    .option('--all', 'the bulk form on every cached key (when no filter is given)')
    .option('--dry-run', 'bulk form: list what would change, change nothing')
    .option('-y, --yes', 'do it without asking (bulk form: after a --dry-run)')
}

const scopeOf = (o: ScopeOptions) => ({ ...(o.instance ? { instance: o.instance } : {}), ...(o.tenant ? { tenant: o.tenant } : {}) })

/** The bulk form's keys; a bulk action needs a filter or --all. */
async function bulkKeys(s: Session, o: BulkOptions, verb: string): Promise<KeyRow[]> {
  if (!hasFilter(o) && !o.all) throw usageError(`Say which keys to ${verb}: give a key, or a filter (--tenant, --status, --text, ...) or --all, and start with --dry-run.`)
  const { rows } = await queryAll(s, await toQuery(s, o), RULES.bulkRefs.max + 1)
  if (rows.length > RULES.bulkRefs.max) throw usageError(`More than ${RULES.bulkRefs.max.toLocaleString('en')} keys match: narrow the filter (by --tenant or --status, for example).`)
  return rows
}

interface Change { ref: KeyRef; name: string; tenantName: string; from: KeyStatus; to: KeyStatus | null; skip: string | null }
interface Outcome { ref: KeyRef; name: string; ok: boolean; skipped: boolean; error: string | null; newKey?: KeyRow }

function printChanges(s: Session, changes: Change[]): void {
  if (changes.length === 0) return
  s.print(table(s.out, ['NAME', 'TENANT', 'NOW', 'AFTER'], changes.map((c) => [
    c.name, c.tenantName, statusText(s.out, c.from), c.to ? statusText(s.out, c.to) : s.out.dim(`skip: ${c.skip ?? ''}`)
  ])))
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * A bulk action: the plan (the dry run), then, with --yes or a yes on a terminal, the run with
 * one outcome per key. Exit 5 when any key failed.
 */
async function bulk(s: Session, o: BulkOptions, what: { action: string; verb: string; past: string; detail: string },
  plan: (refs: KeyRef[]) => Promise<Change[]>, execute: (refs: KeyRef[], changes: Change[]) => Promise<Outcome[]>, keys: KeyRow[]): Promise<ExitCode> {
  const refs = keys.map(refOf)
  const changes = refs.length > 0 ? await plan(refs) : []
  const acting = changes.filter((c) => !c.skip).length
  if (o.dryRun || acting === 0) {
    if (s.json) s.emit(CLI_JSON['bulk dry-run'], { action: what.action, dryRun: true, changes })
    else {
      printChanges(s, changes)
      const skipped = changes.length - acting
      s.print(`Dry run: ${plural(acting, 'key')} would be ${what.past}${what.detail}${skipped ? `, ${skipped} skipped` : ''}. Nothing was changed${acting > 0 ? '; run again with --yes to do it' : ''}.`)
    }
    return EXIT.ok
  }
  if (!o.yes && !s.json) printChanges(s, changes)
  if (!(await confirmed(s, o.yes, `${what.verb[0]?.toUpperCase()}${what.verb.slice(1)} ${plural(acting, 'key')}${what.detail}?`))) {
    s.info('Nothing was changed.')
    return EXIT.ok
  }
  const results = await execute(refs, changes)
  const failed = results.filter((r) => !r.ok)
  const done = results.filter((r) => r.ok && !r.skipped)
  if (s.json) s.emit(CLI_JSON.bulk, { action: what.action, dryRun: false, results })
  else {
    const tenantOf = new Map(changes.map((c) => [`${c.ref.instanceId}/${c.ref.tenantId}/${c.ref.keyId}`, c.tenantName]))
    s.print(table(s.out, ['NAME', 'TENANT', 'RESULT', ...(what.action === 'rotate' ? ['NEW KEY'] : [])], results.map((r) => [
      r.name,
      tenantOf.get(`${r.ref.instanceId}/${r.ref.tenantId}/${r.ref.keyId}`) ?? '',
      r.ok ? (r.skipped ? s.out.dim(`skipped: ${r.error ?? ''}`) : s.out.green(what.past)) : s.out.red(`failed: ${r.error ?? ''}`),
      ...(what.action === 'rotate' ? [r.newKey ? `${r.newKey.name}, ${r.newKey.keyPrefix}` : '-'] : [])
    ])))
    s.print(`${what.past[0]?.toUpperCase()}${what.past.slice(1)} ${plural(done.length, 'key')}${what.detail}; ${results.length - done.length - failed.length} skipped; ${failed.length} failed.`)
  }
  return failed.length > 0 ? EXIT.partial : EXIT.ok
}

/** disable, deprecate and revoke in bulk: the core's own preview and run. */
function coreBulk(s: Session, input: (refs: KeyRef[]) => OpInput<'bulk.run'>) {
  return {
    plan: async (refs: KeyRef[]) => (await s.call('bulk.preview', input(refs))).changes,
    execute: async (refs: KeyRef[]) => (await s.call('bulk.run', input(refs))).results
  }
}

/** rotate and finish in bulk: the single-key operation for each planned key, four at a time. */
function eachKey(s: Session, keys: KeyRow[], plan: (k: KeyRow) => { to: KeyStatus | null; skip: string | null }, act: (k: KeyRow) => Promise<{ newKey?: KeyRow; error?: string }>) {
  const byRef = new Map(keys.map((k) => [`${k.instanceId}/${k.tenantId}/${k.id}`, k]))
  const keyOf = (r: KeyRef) => byRef.get(`${r.instanceId}/${r.tenantId}/${r.keyId}`) as KeyRow
  return {
    plan: async (refs: KeyRef[]) => refs.map((ref) => {
      const k = keyOf(ref)
      return { ref, name: k.name, tenantName: k.tenantName, from: k.status, ...plan(k) }
    }),
    execute: async (refs: KeyRef[], changes: Change[]) => {
      const limit = pLimit(4)
      return Promise.all(changes.map((c) => limit(async (): Promise<Outcome> => {
        if (c.skip) return { ref: c.ref, name: c.name, ok: true, skipped: true, error: c.skip }
        try {
          const { newKey, error } = await act(keyOf(c.ref))
          return { ref: c.ref, name: c.name, ok: error === undefined, skipped: false, error: error ?? null, ...(newKey ? { newKey } : {}) }
        } catch (e) {
          return { ref: c.ref, name: c.name, ok: false, skipped: false, error: e instanceof Error ? e.message : String(e) }
        }
      })))
    }
  }
}

/** The single-key or the bulk form, by whether a key was named. */
async function oneOrMany(s: Session, text: unknown, o: BulkOptions, verb: string, one: (k: KeyRow) => Promise<ExitCode | void>, many: (keys: KeyRow[]) => Promise<ExitCode>): Promise<ExitCode | void> {
  if (typeof text === 'string') {
    if (o.dryRun || o.all) throw usageError(`--dry-run and --all belong to the bulk form: leave out the key and give a filter to ${verb} several keys.`)
    return one(await resolveKey(s, text, scopeOf(o)))
  }
  return many(await bulkKeys(s, o, verb))
}

function reportKey(s: Session, key: KeyRow, sentence: string): void {
  if (s.json) s.emit(CLI_JSON.key, key)
  else s.print(sentence)
}

const place = (k: KeyRow) => `${k.name} (${k.tenantName})`
/** A grace period as given: 48h stays 48h (whole days of a week or more as days). */
const graceText = (ms: number) => (toHours(ms) % 24 === 0 && toHours(ms) >= 168 ? formatDuration(ms) : `${toHours(ms)}h`)

function parseExpiry(text: string): string {
  const ms = parseDuration(text, 'd')
  if (ms !== null) return new Date(Date.now() + ms).toISOString()
  const at = Date.parse(text)
  if (Number.isNaN(at)) throw new InvalidArgumentError('Give a date (2027-06-30 or 2027-06-30T12:00Z) or a time from now (90d).')
  return new Date(at).toISOString()
}

export function registerKeys(program: Command, run: CliRun): void {
  // ---- create ---------------------------------------------------------------------------
  program.command('create').description("issue a new key in a tenant; its value goes straight to the OS keychain")
    .requiredOption('--tenant <tenant>', 'the tenant: id, slug or name')
    .option('--instance <instance>', 'the instance (needed when several are configured): id, label or URL')
    .requiredOption('--name <name>', 'the key name (unique in the tenant)')
    .addOption(new Option('--type <type>', 'key type').choices(['service', 'anon']).default('service'))
    .addOption(new Option('--scope <scope>', "a scope, e.g. tables:read, or '*' for all (repeatable, or comma-separated)").argParser(collect).makeOptionMandatory())
    .addOption(new Option('--namespace <namespace>', 'allow only these namespaces (repeatable); default: every namespace').argParser(collect))
    .option('--default-namespace-only', 'allow only the default namespace')
    .addOption(new Option('--rate-per-minute <n>', 'requests per minute').argParser(positiveInt))
    .addOption(new Option('--rate-per-hour <n>', 'requests per hour').argParser(positiveInt))
    .addOption(new Option('--expires <when>', 'expiry: a date (2027-06-30) or a time from now (90d)').argParser(parseExpiry))
    .option('--description <text>', 'what the key is for')
    .option('--reveal-once', REVEAL_HELP)
    .addHelpText('after', examples(
      "fluxbase-keys create --tenant acme --name ci-deploy --scope tables:read --scope storage:read",
      "fluxbase-keys create --tenant acme --name reporting --type anon --scope '*' --expires 90d",
      '# hand the value to another program once (never onto a terminal):',
      "fluxbase-keys create --tenant acme --name ci-deploy --scope '*' --reveal-once | vault kv put secret/acme/ci value=-"
    ))
    .action(run.action<{ tenant: string; instance?: string; name: string; type: 'service' | 'anon'; scope: string[]; namespace?: string[]; defaultNamespaceOnly?: boolean; ratePerMinute?: number; ratePerHour?: number; expires?: string; description?: string; revealOnce?: boolean }>(async (s, o) => {
      checkReveal(s, o.revealOnce)
      if (o.namespace?.length && o.defaultNamespaceOnly) throw usageError('Choose --namespace or --default-namespace-only, not both.')
      const instance = await resolveInstance(s, o.instance)
      const [tenant] = await resolveTenants(s, [o.tenant], instance.id)
      if (!tenant) throw usageError('Name the tenant with --tenant.')
      const result = await s.call('keys.create', {
        instanceId: instance.id, tenantId: tenant.id,
        input: {
          name: o.name, keyType: o.type, scopes: o.scope,
          ...(o.defaultNamespaceOnly ? { allowedNamespaces: [] } : o.namespace?.length ? { allowedNamespaces: o.namespace } : {}),
          ...(o.ratePerMinute ? { rateLimitPerMinute: o.ratePerMinute } : {}),
          ...(o.ratePerHour ? { rateLimitPerHour: o.ratePerHour } : {}),
          ...(o.expires ? { expiresAt: o.expires } : {}),
          ...(o.description ? { description: o.description } : {})
        }
      })
      const issued = await handOver(s, result, o.revealOnce === true)
      reportIssued(s, issued, `Created ${place(issued.key)}, prefix ${issued.key.keyPrefix}${issued.storedInKeychain ? '; its value is in the keychain (fluxbase-keys copy to use it)' : ''}.`)
      if (s.json) s.emit(CLI_JSON.create, issued)
    }))

  // ---- update / replace -----------------------------------------------------------------
  addKeyScope(program.command('update').description("change a key's settings; where the server cannot, --replace issues a new key with them"))
    .argument('<key>', 'the key: its name, prefix or id')
    .option('--name <name>', 'new name (with --replace: the name of the new key)')
    .option('--description <text>', 'new description')
    .addOption(new Option('--scope <scope>', 'the new scopes (repeatable or comma-separated; replaces the list)').argParser(collect))
    .addOption(new Option('--rate-per-minute <n>', 'requests per minute').argParser(positiveInt))
    .addOption(new Option('--rate-per-hour <n>', 'requests per hour').argParser(positiveInt))
    .option('--replace', 'issue a new key with these settings and deprecate the old one (for servers that cannot update a key)')
    .addOption(new Option('--namespace <namespace>', 'with --replace: the new key may use only these namespaces (repeatable)').argParser(collect))
    .option('--all-namespaces', 'with --replace: the new key may use every namespace')
    .option('--default-namespace-only', 'with --replace: the new key may use the default namespace only')
    .addOption(graceOption())
    .option('--reveal-once', `with --replace: ${REVEAL_HELP}`)
    .addHelpText('after', examples(
      'fluxbase-keys update ci-deploy --tenant acme --description "deploys from CI"',
      '# current Fluxbase servers cannot update a key in place; replace it instead:',
      'fluxbase-keys update ci-deploy --tenant acme --scope tables:read --replace --name "ci-deploy v2" --grace 48h',
      '# where the server does not say which namespaces the old key may use, choose them:',
      'fluxbase-keys update ci-deploy --tenant acme --replace --name "ci-deploy v2" --grace 48h --default-namespace-only'
    ))
    .action(run.action<ScopeOptions & { name?: string; description?: string; scope?: string[]; ratePerMinute?: number; ratePerHour?: number; replace?: boolean; grace?: number; revealOnce?: boolean; namespace?: string[]; allNamespaces?: boolean; defaultNamespaceOnly?: boolean }>(async (s, o, [text]) => {
      const choices = [o.namespace?.length ? 'list' : null, o.allNamespaces ? 'all' : null, o.defaultNamespaceOnly ? 'default' : null].filter(Boolean)
      if (choices.length > 1) throw usageError('Choose one of --namespace, --all-namespaces and --default-namespace-only.')
      const namespaces = o.namespace?.length ? { kind: 'list' as const, names: o.namespace } : o.allNamespaces ? { kind: 'all' as const } : o.defaultNamespaceOnly ? { kind: 'default' as const } : undefined
      const settings = {
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...(o.scope ? { scopes: o.scope } : {}),
        ...(o.ratePerMinute ? { rateLimitPerMinute: o.ratePerMinute } : {}),
        ...(o.ratePerHour ? { rateLimitPerHour: o.ratePerHour } : {})
      }
      if (!o.replace) {
        if (o.grace !== undefined || o.revealOnce || namespaces) throw usageError('--grace, --reveal-once and the namespace options belong to --replace (a new key replaces this one).')
        const key = await resolveKey(s, text as string, scopeOf(o))
        const result = await s.attempt('keys.update', { ref: refOf(key), input: { ...settings, ...(o.name ? { name: o.name } : {}) } })
        if (!result.ok && result.error.code === 'unsupported') {
          throw new CliError('unsupported', `${result.error.message} Run the same command with --replace --name "${key.name} v2" --grace 48h.`, EXIT.failure)
        }
        if (!result.ok) throw CliError.fromApi(result.error)
        return reportKey(s, result.value, `Updated ${place(result.value)}.`)
      }
      checkReveal(s, o.revealOnce)
      if (o.grace === undefined) throw usageError('--replace needs --grace (e.g. --grace 48h): how long the old key keeps working.')
      const key = await resolveKey(s, text as string, scopeOf(o))
      if (!o.name) throw usageError(`--replace needs --name for the new key (names are unique in a tenant), e.g. --name "${key.name} v2".`)
      const replaced = await s.attempt('keys.replace', { ref: refOf(key), input: { name: o.name, ...settings, ...(namespaces ? { namespaces } : {}) }, graceHours: toHours(o.grace) })
      if (!replaced.ok && replaced.error.code === 'invalid_input' && !namespaces && /namespace/i.test(replaced.error.message)) {
        throw new CliError('invalid_input', `${replaced.error.message} Add --all-namespaces, --default-namespace-only or --namespace <name>.`, EXIT.usage)
      }
      if (!replaced.ok) throw CliError.fromApi(replaced.error)
      const { issued, oldKey } = replaced.value
      const handed = await handOver(s, issued, o.revealOnce === true)
      reportIssued(s, handed, `Replaced ${place(oldKey)} with ${handed.key.name} (${handed.key.keyPrefix}); the old key is ${STATUS_LABELS[oldKey.status].toLowerCase()} for ${graceText(o.grace)}.`)
      if (s.json) s.emit(CLI_JSON.rotate, { issued: handed, oldKey })
    }))

  // ---- copy -----------------------------------------------------------------------------
  addKeyScope(program.command('copy').description("copy a stored key value to the clipboard; cleared after the app's delay if it still holds it"))
    .argument('<key>', 'the key: its name, prefix or id')
    .addHelpText('after', examples('fluxbase-keys copy ci-deploy --tenant acme') +
      '\nThe command waits until the clipboard is cleared (Ctrl-C clears it at once). It is cleared only\nif it still holds the value: something you copied since is left alone.\n')
    .action(run.action<ScopeOptions>(async (s, o, [text]) => {
      const clipboard = systemClipboard(s.io.env, s.io.platform)
      const key = await resolveKey(s, text as string, scopeOf(o))
      const ref = refOf(key)
      s.clipboard.use(clipboard)
      let settle: (cleared: boolean) => void = () => undefined
      const done = new Promise<boolean>((resolve) => (settle = resolve))
      const off = await s.onEvent((event, payload) => {
        const p = payload as { ref: KeyRef; cleared: boolean }
        if (event === 'clipboard.cleared' && p.ref.keyId === ref.keyId && p.ref.tenantId === ref.tenantId) settle(p.cleared)
      })
      const onAbort = () => settle(false)
      s.interrupted.addEventListener('abort', onAbort)
      try {
        const { clearsAfterSeconds } = await s.call('keys.copyValue', ref)
        s.info(`Copied the value of ${place(key)} to the clipboard; it is cleared in ${clearsAfterSeconds} s if it still holds it (Ctrl-C clears it now).`)
        // The core's timer does not keep the process alive: this one does, a little longer.
        const keepAlive = setTimeout(() => settle(false), (clearsAfterSeconds + 5) * 1000)
        const cleared = await done
        clearTimeout(keepAlive)
        if (s.interrupted.aborted) {
          await s.close()
          return EXIT.interrupted
        }
        if (s.json) s.emit(CLI_JSON.copy, { key: ref, clearsAfterSeconds, cleared })
        else s.print(cleared ? 'Clipboard cleared.' : 'The clipboard holds something else now: left as it is.')
      } finally {
        off()
        s.interrupted.removeEventListener('abort', onAbort)
      }
    }))

  // ---- disable / enable -----------------------------------------------------------------
  addBulkOptions(program.command('disable').description('disable a key (requests with it are rejected until enabled); bulk form with a filter'))
    .argument(...keyArg)
    .addHelpText('after', examples('fluxbase-keys disable ci-deploy --tenant acme', 'fluxbase-keys disable --unused-for 180d --dry-run', 'fluxbase-keys disable --unused-for 180d --yes'))
    .action(run.action<BulkOptions>(async (s, o, [text]) => oneOrMany(s, text, o, 'disable',
      async (k) => reportKey(s, await s.call('keys.disable', refOf(k)), `Disabled ${place(k)}.`),
      (keys) => {
        const b = coreBulk(s, (refs) => ({ action: 'disable', refs }))
        return bulk(s, o, { action: 'disable', verb: 'disable', past: 'disabled', detail: '' }, b.plan, b.execute, keys)
      })))

  addKeyScope(program.command('enable').description('enable a disabled key again'))
    .argument('<key>', 'the key: its name, prefix or id')
    .addHelpText('after', examples('fluxbase-keys enable ci-deploy --tenant acme'))
    .action(run.action<ScopeOptions>(async (s, o, [text]) => {
      const k = await resolveKey(s, text as string, scopeOf(o))
      reportKey(s, await s.call('keys.enable', refOf(k)), `Enabled ${place(k)}.`)
    }))

  // ---- deprecate / rotate / finish ------------------------------------------------------
  addBulkOptions(program.command('deprecate').description('start a grace period on a key (it keeps working until it ends); bulk form with a filter'))
    .argument(...keyArg)
    .addOption(graceOption().makeOptionMandatory())
    .addHelpText('after', examples('fluxbase-keys deprecate legacy-sync --tenant acme --grace 48h', 'fluxbase-keys deprecate --text legacy- --grace 7d --dry-run'))
    .action(run.action<BulkOptions & { grace: number }>(async (s, o, [text]) => oneOrMany(s, text, o, 'deprecate',
      async (k) => reportKey(s, await s.call('keys.deprecate', { ref: refOf(k), graceHours: toHours(o.grace) }), `Deprecated ${place(k)}: its grace period ends in ${graceText(o.grace)}.`),
      (keys) => {
        const b = coreBulk(s, (refs) => ({ action: 'deprecate', refs, graceHours: toHours(o.grace) }))
        return bulk(s, o, { action: 'deprecate', verb: 'deprecate', past: 'deprecated', detail: ` (grace ${graceText(o.grace)})` }, b.plan, b.execute, keys)
      })))

  addBulkOptions(program.command('rotate').description('issue a replacement key (value to the keychain) and give the old one a grace period; bulk form with a filter'))
    .argument(...keyArg)
    .addOption(graceOption().makeOptionMandatory())
    .option('--name <name>', 'name of the new key (single key only; default: "<old name> (rotated)")')
    .option('--reveal-once', `single key only: ${REVEAL_HELP}`)
    .addHelpText('after', examples(
      'fluxbase-keys rotate ci-deploy --tenant acme --grace 48h',
      '# every tenant at once: look first, then do it',
      'fluxbase-keys rotate --text ci-deploy --status active --grace 48h --dry-run',
      'fluxbase-keys rotate --text ci-deploy --status active --grace 48h --yes'
    ) + '\nIn the bulk form only active keys are rotated; the others are listed as skipped.\n')
    .action(run.action<BulkOptions & { grace: number; name?: string; revealOnce?: boolean }>(async (s, o, [text]) => {
      if (typeof text !== 'string' && (o.name || o.revealOnce)) throw usageError('--name and --reveal-once are for one key: in the bulk form each new key is named "<old name> (rotated)" and its value stays in the keychain.')
      checkReveal(s, o.revealOnce)
      const graceHours = toHours(o.grace)
      return oneOrMany(s, text, o, 'rotate',
        async (k) => {
          const { issued, oldKey } = await s.call('keys.rotate', { ref: refOf(k), graceHours, ...(o.name ? { newName: o.name } : {}) })
          const handed = await handOver(s, issued, o.revealOnce === true)
          reportIssued(s, handed, `Rotated ${place(oldKey)}: new key ${handed.key.name} (${handed.key.keyPrefix}); the old one works for ${graceText(o.grace)} more.`)
          if (s.json) s.emit(CLI_JSON.rotate, { issued: handed, oldKey })
        },
        (keys) => {
          const b = eachKey(s, keys,
            (k) => (k.status === 'active' ? { to: 'grace', skip: null } : { to: null, skip: `only active keys are rotated (this one is ${STATUS_LABELS[k.status].toLowerCase()})` }),
            async (k) => {
              const result = await s.attempt('keys.rotate', { ref: refOf(k), graceHours })
              if (!result.ok) return { error: result.error.message }
              const issued: Issued = await handOver(s, result.value.issued, false).catch((e: unknown) => ({ key: result.value.issued.key, storedInKeychain: false, warning: e instanceof Error ? e.message : String(e) }))
              return { newKey: issued.key, ...(issued.storedInKeychain ? {} : { error: issued.warning ?? 'the new value could not be stored' }) }
            })
          return bulk(s, o, { action: 'rotate', verb: 'rotate', past: 'rotated', detail: ` (grace ${graceText(o.grace)})` }, b.plan, b.execute, keys)
        })
    }))

  addBulkOptions(program.command('finish').description("finish a rotation: disable (or --revoke) the old key once its replacement is in use; bulk form with a filter"))
    .argument(...keyArg)
    .option('--revoke', 'revoke the old key instead of disabling it (cannot be undone)')
    .addHelpText('after', examples('fluxbase-keys finish ci-deploy --tenant acme', 'fluxbase-keys finish --status grace_ended --dry-run', 'fluxbase-keys finish --status grace_ended --yes'))
    .action(run.action<BulkOptions & { revoke?: boolean }>(async (s, o, [text]) => {
      const mode = o.revoke ? 'revoke' : 'disable'
      return oneOrMany(s, text, o, 'finish',
        async (k) => reportKey(s, await s.call('keys.finishRotation', { ref: refOf(k), mode }), `Finished the rotation of ${place(k)}: the old key is ${mode}d.`),
        (keys) => {
          const b = eachKey(s, keys,
            (k) => (k.status === 'grace' || k.status === 'grace_ended' ? { to: mode === 'revoke' ? 'revoked' : 'disabled', skip: null } : { to: null, skip: `not being rotated out (${STATUS_LABELS[k.status].toLowerCase()})` }),
            async (k) => {
              const result = await s.attempt('keys.finishRotation', { ref: refOf(k), mode })
              return result.ok ? {} : { error: result.error.message }
            })
          return bulk(s, o, { action: 'finish', verb: 'finish the rotation of', past: `finished (${mode}d)`, detail: '' }, b.plan, b.execute, keys)
        })
    }))

  // ---- revoke / delete ------------------------------------------------------------------
  addBulkOptions(program.command('revoke').description('revoke a key for good (cannot be undone); bulk form with a filter'))
    .argument(...keyArg)
    .requiredOption('--reason <text>', `why (at least ${RULES.reason.min} characters; kept in the history)`)
    .addHelpText('after', examples('fluxbase-keys revoke leaked-key --tenant acme --reason "posted in a public issue" --yes', 'fluxbase-keys revoke --orphans --reason "issued, never seen" --dry-run'))
    .action(run.action<BulkOptions & { reason: string }>(async (s, o, [text]) => oneOrMany(s, text, o, 'revoke',
      async (k) => {
        if (!(await confirmed(s, o.yes, `Revoke ${place(k)} for good?`))) return s.info('Nothing was changed.')
        reportKey(s, await s.call('keys.revoke', { ref: refOf(k), reason: o.reason }), `Revoked ${place(k)}.`)
      },
      (keys) => {
        const b = coreBulk(s, (refs) => ({ action: 'revoke', refs, reason: o.reason }))
        return bulk(s, o, { action: 'revoke', verb: 'revoke', past: 'revoked', detail: '' }, b.plan, b.execute, keys)
      })))

  addKeyScope(program.command('delete').description('delete a key from its server and forget its stored value'))
    .argument('<key>', 'the key: its name, prefix or id')
    .option('--force', 'delete even if the key is still enabled (traffic using it starts failing)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', examples('fluxbase-keys delete old-key --tenant acme --yes', 'fluxbase-keys delete old-key --tenant acme --force --yes'))
    .action(run.action<ScopeOptions & { force?: boolean; yes?: boolean }>(async (s, o, [text]) => {
      const k = await resolveKey(s, text as string, scopeOf(o))
      if (!(await confirmed(s, o.yes, `Delete ${place(k)} from its server?`))) return s.info('Nothing was deleted.')
      await s.call('keys.delete', { ref: refOf(k), confirmName: k.name, force: o.force === true })
      if (s.json) return s.emit(CLI_JSON.delete, { deleted: refOf(k), name: k.name })
      s.print(`Deleted ${place(k)}.`)
    }))
}
