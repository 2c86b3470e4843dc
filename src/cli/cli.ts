// The CLI's entry: parse, run the command, report a failure as one sentence (or JSON) on stderr,
// and answer the exit code.
import { CommanderError } from 'commander'
import pc from 'picocolors'
import { CliError, errorJson, usageError } from './errors'
import { EXIT } from './exit-codes'
import { colourEnabled, type Io } from './io'
import { buildProgram } from './program'
import { CliRun } from './run'

/** Commander's "error: unknown option '--x'\n(Did you mean --y?)" as one sentence. */
function commanderSentence(text: string): string {
  const flat = text.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim()
  const sentence = flat.charAt(0).toUpperCase() + flat.slice(1)
  return `${/[.?)]$/.test(sentence) ? sentence : `${sentence}.`} See --help.`
}

const isPromptExit = (error: unknown): boolean => error instanceof Error && error.name === 'ExitPromptError'

/** Runs one invocation; `started` receives the run (Ctrl-C goes to it). */
export async function runCli(io: Io, started?: (run: CliRun) => void): Promise<number> {
  const run = new CliRun(io)
  started?.(run)
  const args = io.argv.slice(2)
  const json = args.includes('--json')
  const red = pc.createColors(colourEnabled(io.stderr, io.env, args.includes('--no-color'))).red
  const report = (e: CliError): void => {
    if (json) io.stderr.write(`${JSON.stringify(errorJson(e))}\n`)
    else io.stderr.write(`${red('error:')} ${e.message}\n`)
  }
  const program = buildProgram(run, { outputError: (str) => report(usageError(commanderSentence(str))) })
  try {
    await program.parseAsync(io.argv)
    return run.interrupted ? EXIT.interrupted : run.exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok
      // No command given (help went to stderr), or a parse error already reported.
      return EXIT.usage
    }
    if (isPromptExit(error) || run.interrupted) return EXIT.interrupted
    if (error instanceof CliError) {
      report(error)
      return error.exitCode
    }
    if (io.env['FLUXBASE_KEYS_DEBUG']) io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    report(new CliError('internal', `Something went wrong inside fluxbase-keys (${error instanceof Error ? error.name : 'unknown error'}); run again with FLUXBASE_KEYS_DEBUG=1 for details.`, EXIT.failure))
    return EXIT.failure
  }
}
