// Questions on a terminal only (@inquirer): a password without echo, a yes/no before a destructive
// action. Without a terminal the CLI never waits for an answer: it asks for --yes or stdin instead.
import confirm from '@inquirer/confirm'
import password from '@inquirer/password'
import { CliError, usageError } from './errors'
import { exitCodeFor } from './exit-codes'
import type { Io } from './io'

/** What a question needs of the session: its terminal streams. */
type Asker = { io: Pick<Io, 'stdin' | 'stderr'> }

const interactive = (s: Asker): boolean => s.io.stdin.isTTY === true && s.io.stderr.isTTY === true

/** A secret typed at the terminal, not echoed; without a terminal, `otherwise` as a usage error (or as `code`). */
export async function askSecret(s: Asker, message: string, otherwise: string, code?: string): Promise<string> {
  if (!interactive(s)) throw code ? new CliError(code, otherwise, exitCodeFor(code)) : usageError(otherwise)
  return password({ message, mask: false }, { input: s.io.stdin, output: s.io.stderr })
}

/** --yes, or a yes/no on a terminal (default no); otherwise a usage error naming --yes. */
export async function confirmed(s: Asker, yes: boolean | undefined, question: string): Promise<boolean> {
  if (yes) return true
  if (!interactive(s)) throw usageError(`${question.replace(/\?$/, '')}: this needs confirmation; add --yes (after a --dry-run) to go ahead without a terminal.`)
  return confirm({ message: question, default: false }, { input: s.io.stdin, output: s.io.stderr })
}
