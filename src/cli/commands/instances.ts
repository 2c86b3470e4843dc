// instances add|list|test|remove and tenants: the Fluxbase servers and their tenants.
// Secrets never come as arguments: a password is asked without echo or read from stdin, a token
// is read from stdin.
import { Option, type Command } from 'commander'
import type { OpInput } from '../../shared/contract'
import { usageError } from '../errors'
import { details, shortTime, table } from '../format'
import { readAllStdin } from '../io'
import { CLI_JSON } from '../json'
import { askSecret, confirmed } from '../prompts'
import { resolveInstance } from '../resolve'
import { examples, type CliRun } from '../run'
import type { Session } from '../session'

interface AuthOptions { url: string; email?: string; passwordStdin?: boolean; tokenStdin?: boolean }
type AuthInput = OpInput<'instances.test'>['auth']

function addAuthOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--url <address>', "the server's address, e.g. https://fluxbase.example.com")
    .option('--email <address>', "an instance admin's (or tenant admin's) e-mail; the password is asked without echo")
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .option('--token-stdin', 'sign in with an admin access token read from stdin')
}

async function readAuth(s: Session, o: AuthOptions): Promise<AuthInput> {
  if (o.tokenStdin && (o.email || o.passwordStdin)) throw usageError('Sign in either with --email (and a password) or with --token-stdin, not both.')
  if (o.tokenStdin) {
    const token = s.io.stdin.isTTY ? await askSecret(s, 'Admin access token:', '') : await readAllStdin(s.io.stdin)
    return { kind: 'token', token: token.trim() }
  }
  if (!o.email) {
    if (o.passwordStdin) throw usageError('--password-stdin needs --email: say whose password it is.')
    throw usageError('Say how to sign in: --email <admin e-mail> (the password is asked, or piped with --password-stdin), or --token-stdin.')
  }
  const password = o.passwordStdin
    ? await readAllStdin(s.io.stdin)
    : await askSecret(s, `Password for ${o.email}:`, 'There is no terminal to ask the password on: pipe it with --password-stdin (a password is never taken as an argument).')
  return { kind: 'password', email: o.email, password }
}

export function registerInstances(program: Command, run: CliRun): void {
  const instances = program.command('instances').description('the Fluxbase servers you manage: add, list, test, remove')
    .addHelpText('after', examples(
      'fluxbase-keys instances add --url https://fluxbase.example.com --email admin@example.com',
      'fluxbase-keys instances list'
    ))

  addAuthOptions(instances.command('add').description('add a Fluxbase server; its credential goes to the OS keychain'))
    .option('--label <name>', 'a name for the instance (default: the host name)')
    .addOption(new Option('--tenant <tenant>', 'sync only this tenant (slug, name or id; repeatable); default: every tenant').argParser((v: string, p: string[] = []) => [...p, v]))
    .addHelpText('after', examples(
      'fluxbase-keys instances add --url https://fluxbase.example.com --email admin@example.com',
      "printf '%s' \"$FLUXBASE_PASSWORD\" | fluxbase-keys instances add --url https://fluxbase.example.com --email admin@example.com --password-stdin",
      "printf '%s' \"$FLUXBASE_TOKEN\" | fluxbase-keys instances add --url https://fluxbase.example.com --token-stdin --label prod"
    ))
    .action(run.action<AuthOptions & { label?: string; tenant?: string[] }>(async (s, o) => {
      const auth = await readAuth(s, o)
      let tenantIds: string[] | undefined
      if (o.tenant?.length) {
        const { tenants } = await s.call('instances.test', { baseUrl: o.url, auth })
        tenantIds = o.tenant.map((text) => {
          const t = tenants.find((x) => x.id === text.toLowerCase() || x.slug === text || x.name.toLowerCase() === text.toLowerCase())
          if (!t) throw usageError(`The server has no tenant called "${text}" (it has ${tenants.map((x) => x.slug).join(', ')}).`)
          return t.id
        })
      }
      const added = await s.call('instances.add', { baseUrl: o.url, auth, ...(o.label ? { label: o.label } : {}), ...(tenantIds ? { tenantIds } : {}) })
      if (s.json) return s.emit(CLI_JSON['instances add'], added)
      const selected = added.tenants.filter((t) => t.selected).length
      s.print(`Added ${added.instance.label} (${added.instance.baseUrl}), id ${added.instance.id}: ${added.tenants.length} tenants, ${selected} to sync.`)
      s.info('Next: fluxbase-keys sync')
    }))

  instances.command('list').alias('ls').description('list the configured instances')
    .addHelpText('after', examples('fluxbase-keys instances list', 'fluxbase-keys instances list --json'))
    .action(run.action(async (s) => {
      const list = await s.call('instances.list', {})
      if (s.json) return s.emit(CLI_JSON['instances list'], list)
      if (list.length === 0) return s.info('No instance is configured yet: add one with `fluxbase-keys instances add --url <address> --email <admin e-mail>`.')
      s.print(table(s.out, ['LABEL', 'URL', 'SIGN-IN', 'UPDATE IN PLACE', 'ADDED', 'ID'], list.map((i) => [
        i.label, i.baseUrl, i.authKind === 'password' ? (i.email ?? 'password') : 'token', i.updateSupport, shortTime(i.addedAt), i.id
      ])))
    }))

  addAuthOptions(instances.command('test').description('sign in to a server and list its tenants, without adding it'))
    .addHelpText('after', examples(
      'fluxbase-keys instances test --url https://fluxbase.example.com --email admin@example.com',
      "printf '%s' \"$FLUXBASE_TOKEN\" | fluxbase-keys instances test --url https://fluxbase.example.com --token-stdin --json"
    ))
    .action(run.action<AuthOptions>(async (s, o) => {
      const result = await s.call('instances.test', { baseUrl: o.url, auth: await readAuth(s, o) })
      if (s.json) return s.emit(CLI_JSON['instances test'], result)
      s.print(`Signed in as ${result.role}; ${result.tenants.length} tenants:`)
      s.print(table(s.out, ['NAME', 'SLUG', 'DEFAULT', 'ID'], result.tenants.map((t) => [t.name, t.slug, t.isDefault ? 'yes' : '', t.id])))
    }))

  instances.command('remove').alias('rm').description('sign out and remove an instance, its cached keys and its keychain entries')
    .argument('<instance>', 'id, label or URL')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', examples('fluxbase-keys instances remove staging', 'fluxbase-keys instances remove 3f0c… --yes'))
    .action(run.action<{ yes?: boolean }>(async (s, o, [text]) => {
      const instance = await resolveInstance(s, text as string)
      if (!(await confirmed(s, o.yes, `Remove ${instance.label} (${instance.baseUrl}) with its cached keys and every stored key value in the keychain?`))) return s.info('Nothing removed.')
      const result = await s.call('instances.remove', { instanceId: instance.id })
      if (s.json) return s.emit(CLI_JSON['instances remove'], result)
      s.print(`Removed ${instance.label}; ${result.removedSecrets} keychain entries deleted.`)
    }))

  program.command('tenants').description('list the tenants of every instance, with their key counts and sync state')
    .option('--instance <instance>', 'only this instance: id, label or URL')
    .addHelpText('after', examples('fluxbase-keys tenants', 'fluxbase-keys tenants --json'))
    .action(run.action<{ instance?: string }>(async (s, o) => {
      const instanceId = o.instance === undefined ? undefined : (await resolveInstance(s, o.instance)).id
      const tenants = (await s.call('tenants.list', {})).filter((t) => instanceId === undefined || t.instanceId === instanceId)
      if (s.json) return s.emit(CLI_JSON.tenants, tenants)
      if (tenants.length === 0) return s.info('No tenants yet: add an instance with `fluxbase-keys instances add`.')
      s.print(table(s.out, ['TENANT', 'SLUG', 'INSTANCE', 'SYNC', 'KEYS', 'ACTIVE', 'IN GRACE', 'ID'], tenants.map((t) => [
        t.name, t.slug, t.instanceLabel,
        !t.selected ? 'not synced' : t.sync.kind === 'fresh' ? `ok ${shortTime(t.sync.at)}` : t.sync.kind === 'never' ? 'never' : s.out.red(t.sync.kind === 'stale' ? 'failed' : 'sign in'),
        t.total, t.counts.active ?? 0, (t.counts.grace ?? 0) + (t.counts.grace_ended ?? 0), t.id
      ])))
    }))
}

/** `status`: the app's status as the core reports it, and the data dir in use. */
export function registerStatus(program: Command, run: CliRun): void {
  program.command('status').description('version, data folder, keychain, last sync, unreachable servers')
    .addHelpText('after', examples('fluxbase-keys status', 'fluxbase-keys status --json'))
    .action(run.action(async (s) => {
      const status = await s.call('app.status', {})
      if (s.json) return s.emit(CLI_JSON.status, { ...status, dataDir: s.dataDir })
      s.print(details(s.out, [
        ['version', status.version],
        ['data folder', s.dataDir],
        ['keychain', status.keychain.ok ? 'ok' : s.out.red(status.keychain.message ?? 'unavailable')],
        ['last sync', shortTime(status.lastSyncAt)],
        ['servers', status.unreachable.length === 0 ? 'all reachable at the last attempt' : s.out.red(status.unreachable.map((u) => `${u.instanceId}: ${u.reason}`).join('; '))],
        ...(status.cacheRecovery ? [['cache', status.cacheRecovery] as [string, string]] : [])
      ]))
    }))
}
