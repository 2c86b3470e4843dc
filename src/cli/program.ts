// The command tree (commander). Each feature's commands live in commands/<feature>.ts; a new
// command goes there, and help, completion and the README table follow from this tree.
import { Argument, Command } from 'commander'
import { completionScript, SHELLS } from './completion'
import { registerInstances, registerStatus } from './commands/instances'
import { registerInventory } from './commands/inventory'
import { registerKeys } from './commands/keys'
import { registerSettings } from './commands/settings'
import { registerSync } from './commands/sync'
import { EXIT_DESCRIPTIONS } from './exit-codes'
import type { Io } from './io'
import { defaultDataDir } from './paths'
import { examples, type CliRun } from './run'
import { CLI_VERSION } from './session'

export interface ProgramOutput {
  /** Commander's own error lines (unknown option, missing argument): reported by the caller. */
  outputError(message: string): void
}

function moreHelp(io: Io): string {
  const codes = EXIT_DESCRIPTIONS.map(([code, what]) => `  ${String(code).padStart(3)}  ${what}`).join('\n')
  return `
Data: the Fluxbase Keys app's own folder (${defaultDataDir(io.platform, io.env)}), so the app and the
CLI share one inventory, keychain and settings; --data-dir or FLUXBASE_KEYS_DATA_DIR choose another.
A new key's value goes to the OS keychain, as in the app; secrets are never taken as arguments.

Exit codes:
${codes}

Environment: FLUXBASE_KEYS_DATA_DIR (data folder), NO_COLOR (no colours), FLUXBASE_KEYS_DEBUG=1
(echo the log to stderr; it never holds secrets).
${examples(
  "fluxbase-keys instances add --url https://fluxbase.example.com --email admin@example.com",
  'fluxbase-keys sync',
  'fluxbase-keys ls --status grace --json',
  'fluxbase-keys rotate --text ci-deploy --grace 48h --dry-run',
  'fluxbase-keys check --within 72h',
  'source <(fluxbase-keys completion bash)'
)}`
}

export function buildProgram(run: CliRun, output: ProgramOutput): Command {
  const { io } = run
  const program = new Command('fluxbase-keys')
    .description('Fluxbase service keys across instances and tenants, from a terminal or a script: the same core and data as the Fluxbase Keys app.')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .option('--data-dir <path>', 'the data folder (default: the app\'s; or FLUXBASE_KEYS_DATA_DIR)')
    .option('--json', 'machine-readable output on stdout; errors as JSON on stderr')
    .option('--no-color', 'no colours (they are also off when not on a terminal, and with NO_COLOR)')
    .option('-q, --quiet', 'no progress, hints or notices on stderr (warnings and errors still show)')
    .showSuggestionAfterError()
    // --json, --data-dir, --quiet and --no-color work after any command: each command's help lists them.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (str) => void io.stdout.write(str),
      writeErr: (str) => void io.stderr.write(str),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
      outputError: (str) => output.outputError(str)
    })
    .addHelpText('after', moreHelp(io))

  registerInstances(program, run)
  registerSync(program, run)
  registerInventory(program, run)
  registerKeys(program, run)
  registerStatus(program, run)
  registerSettings(program, run)

  program.command('completion').description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices([...SHELLS]))
    .addHelpText('after', examples(
      'source <(fluxbase-keys completion bash)          # bash, now',
      'fluxbase-keys completion zsh > "${fpath[1]}/_fluxbase-keys"',
      'fluxbase-keys completion fish > ~/.config/fish/completions/fluxbase-keys.fish'
    ))
    .action(run.action(async (s, _o, [shell]) => {
      s.io.stdout.write(completionScript(shell as (typeof SHELLS)[number], program))
    }))

  return program
}
