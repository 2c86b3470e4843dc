// sync: the core's sync.run for every selected tenant (or the ones named), with progress.
import { Option, type Command } from 'commander'
import type { EventPayload } from '../../shared/contract'
import { usageError } from '../errors'
import { EXIT } from '../exit-codes'
import { CLI_JSON } from '../json'
import { progressView } from '../progress'
import { resolveInstance, resolveTenants } from '../resolve'
import { examples, type CliRun } from '../run'

export function registerSync(program: Command, run: CliRun): void {
  program.command('sync').description("fetch the selected tenants' keys from their servers into the cache")
    .option('--instance <instance>', 'only this instance: id, label or URL')
    .addOption(new Option('--tenant <tenant>', 'only this tenant: id, slug or name (repeatable)').argParser((v: string, p: string[] = []) => [...p, v]))
    .addHelpText('after', examples(
      'fluxbase-keys sync',
      'fluxbase-keys sync --instance prod --tenant acme --tenant globex',
      '# in CI: plain lines instead of a bar, the summary as JSON',
      'fluxbase-keys sync --json > sync.json'
    ))
    .action(run.action<{ instance?: string; tenant?: string[] }>(async (s, o) => {
      const instances = await s.call('instances.list', {})
      if (instances.length === 0) throw usageError('No Fluxbase instance is configured yet: add one with `fluxbase-keys instances add --url <address> --email <admin e-mail>`.')
      const instanceId = o.instance === undefined ? undefined : (await resolveInstance(s, o.instance)).id
      const named = await resolveTenants(s, o.tenant ?? [], instanceId)
      const view = progressView(s)
      const off = await s.onEvent((event, payload) => {
        if (event === 'sync.progress') view.update(payload as EventPayload<'sync.progress'>)
      })
      let summary
      try {
        summary = await s.call('sync.run', { ...(instanceId ? { instanceId } : {}), ...(named.length > 0 ? { tenantIds: named.map((t) => t.id) } : {}) })
      } finally {
        view.stop()
        off()
      }
      const inScope = (await s.call('tenants.list', {})).filter((t) =>
        t.selected && (instanceId === undefined || t.instanceId === instanceId) && (named.length === 0 || named.some((n) => n.id === t.id && n.instanceId === t.instanceId)))
      const failed = inScope.filter((t) => t.sync.kind === 'stale' || t.sync.kind === 'needs_login')
      if (s.json) s.emit(CLI_JSON.sync, summary)
      else s.print(`Synced ${summary.ok} of ${summary.tenants} tenants in ${(summary.durationMs / 1000).toFixed(1)} s${summary.failed > 0 ? `; ${summary.failed} failed` : ''}${summary.cancelled ? ' (cancelled)' : ''}.`)
      for (const t of failed) s.info(`${s.err.red('failed:')} ${t.instanceLabel} / ${t.name}: ${'reason' in t.sync ? t.sync.reason : ''}`)
      if (summary.cancelled) return EXIT.interrupted
      if (summary.failed === 0) return EXIT.ok
      if (summary.ok > 0) return EXIT.partial
      if (failed.length > 0 && failed.every((t) => t.sync.kind === 'needs_login')) return EXIT.auth
      const status = await s.call('app.status', {})
      const unreachable = new Set(status.unreachable.map((u) => u.instanceId))
      if (failed.length > 0 && failed.every((t) => unreachable.has(t.instanceId))) return EXIT.unreachable
      return EXIT.partial
    }))
}
