// Runs one command's action: a Session from the global options, the action, the exit code it
// chose, and the host closed whatever happened (so a copied value never outlives the run).
import type { Command } from 'commander'
import { EXIT, type ExitCode } from './exit-codes'
import type { Io } from './io'
import { Session, type GlobalOptions } from './session'

export type Action<O> = (s: Session, opts: O & GlobalOptions, args: unknown[], cmd: Command) => Promise<ExitCode | void>

export class CliRun {
  exitCode: ExitCode = EXIT.ok
  session: Session | null = null

  constructor(readonly io: Io) {}

  get interrupted(): boolean {
    return this.session?.interrupted.aborted === true
  }

  interrupt(): void {
    this.session?.interrupt()
  }

  /** A commander action handler (commander passes the arguments, the options, then the command). */
  action<O>(fn: Action<O>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command
      const opts = cmd.optsWithGlobals<O & GlobalOptions>()
      const session = new Session(this.io, opts)
      this.session = session
      try {
        this.exitCode = (await fn(session, opts, cmd.processedArgs as unknown[], cmd)) ?? EXIT.ok
      } finally {
        await session.close()
      }
    }
  }
}

/** "Examples:" after a command's help, each line a command as typed. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => (l.startsWith('#') ? `  ${l}` : `  $ ${l}`)).join('\n')}\n`
}
