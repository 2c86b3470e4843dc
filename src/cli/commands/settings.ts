// settings: the app's own settings (one table in the shared cache), shown and changed.
import { InvalidArgumentError, Option, type Command } from 'commander'
import { formatDuration, parseDuration } from '../duration'
import { details } from '../format'
import { CLI_JSON } from '../json'
import { examples, type CliRun } from '../run'

const whole = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n)) throw new InvalidArgumentError('Give a whole number.')
  return n
}

/** "7d,1d,1h" → minutes, for the warning lead times. */
const leads = (v: string): number[] => v.split(',').map((part) => {
  const ms = parseDuration(part, 'm')
  if (ms === null || ms < 60_000) throw new InvalidArgumentError('Give durations of at least a minute, comma-separated, e.g. 24h,1h,10m.')
  return Math.round(ms / 60_000)
})

const leadText = (minutes: number[]): string => minutes.map((m) => formatDuration(m * 60_000)).join(', ') || 'none'

export function registerSettings(program: Command, run: CliRun): void {
  program.command('settings').description("show or change the app's settings (shared with the app): warnings, clipboard, sync")
    .addOption(new Option('--grace-warnings <list>', 'warn this long before a grace period ends, e.g. 24h,1h,10m').argParser(leads))
    .addOption(new Option('--expiry-warnings <list>', 'warn this long before a key expires, e.g. 7d,1d,1h').argParser(leads))
    .addOption(new Option('--clipboard-clear-seconds <n>', 'clear a copied value after this many seconds (5-600)').argParser(whole))
    .addOption(new Option('--sync-concurrency <n>', 'requests in flight while syncing (1-64)').argParser(whole))
    .addOption(new Option('--request-timeout-seconds <n>', 'give up on a request after this many seconds (1-300)').argParser(whole))
    .addHelpText('after', examples('fluxbase-keys settings', 'fluxbase-keys settings --clipboard-clear-seconds 15 --sync-concurrency 8'))
    .action(run.action<{ graceWarnings?: number[]; expiryWarnings?: number[]; clipboardClearSeconds?: number; syncConcurrency?: number; requestTimeoutSeconds?: number }>(async (s, o) => {
      const patch = {
        ...(o.graceWarnings ? { graceLeadsMinutes: o.graceWarnings } : {}),
        ...(o.expiryWarnings ? { expiryLeadsMinutes: o.expiryWarnings } : {}),
        ...(o.clipboardClearSeconds !== undefined ? { clipboardClearSeconds: o.clipboardClearSeconds } : {}),
        ...(o.syncConcurrency !== undefined ? { syncConcurrency: o.syncConcurrency } : {}),
        ...(o.requestTimeoutSeconds !== undefined ? { requestTimeoutSeconds: o.requestTimeoutSeconds } : {})
      }
      const settings = Object.keys(patch).length > 0 ? await s.call('settings.set', patch) : await s.call('settings.get', {})
      if (s.json) return s.emit(CLI_JSON.settings, settings)
      s.print(details(s.out, [
        ['grace warnings', leadText(settings.graceLeadsMinutes)],
        ['expiry warnings', leadText(settings.expiryLeadsMinutes)],
        ['clipboard cleared after', `${settings.clipboardClearSeconds} s`],
        ['sync concurrency', String(settings.syncConcurrency)],
        ['request timeout', `${settings.requestTimeoutSeconds} s`]
      ]))
    }))
}
