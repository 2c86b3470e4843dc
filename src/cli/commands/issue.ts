// A newly issued key's value: it is in the keychain (the core put it there first). Only with
// --reveal-once does it come out, through the core's own copy into a one-shot hand-off, printed
// on stdout when stdout is not a terminal, with a warning on stderr.
import type { z } from 'zod'
import type { IssueResult } from '../../shared/contract'
import { CliError, usageError } from '../errors'
import { EXIT } from '../exit-codes'
import type { IssuedJson } from '../json'
import { RevealHandOff } from '../ports'
import { refOf } from '../resolve'
import type { Session } from '../session'

export type Issued = z.input<typeof IssuedJson>

export const REVEAL_HELP = 'print the new value once on stdout, for a pipeline (only when stdout is not a terminal); it stays in the keychain too'

/** Refuses --reveal-once onto a terminal, before anything is issued. */
export function checkReveal(s: Session, reveal: boolean | undefined): void {
  if (reveal && s.io.stdout.isTTY) {
    throw usageError('--reveal-once prints the value only into a pipe or a file, never onto a terminal: pipe stdout to the program that takes it, or use `fluxbase-keys copy` for the clipboard.')
  }
}

/** What the CLI reports of an issued key; the value only when asked for, or when the keychain refused it. */
export async function handOver(s: Session, issued: IssueResult, reveal: boolean): Promise<Issued> {
  const { key } = issued
  if (issued.storedInKeychain) {
    if (!reveal) return { key, storedInKeychain: true }
    let value: string | null = null
    s.clipboard.use(new RevealHandOff((v) => (value = v)))
    await s.call('keys.copyValue', refOf(key))
    if (value === null) throw new CliError('keychain', `The value of "${key.name}" could not be read back from the keychain; it is still stored there (fluxbase-keys copy).`, EXIT.failure)
    return { key, storedInKeychain: true, value }
  }
  // The keychain refused the value: this is the only time anyone can see it (the app's fallback).
  s.warn(issued.warning)
  if (reveal) return { key, storedInKeychain: false, warning: issued.warning, value: issued.unsavedValue }
  if (s.io.stderr.isTTY) {
    s.io.stderr.write(`${s.err.bold('value (shown once, not stored):')} ${issued.unsavedValue}\n`)
    return { key, storedInKeychain: false, warning: issued.warning }
  }
  throw new CliError('keychain',
    `"${key.name}" was issued but the keychain refused its value and there is no terminal to show it on: revoke it with \`fluxbase-keys revoke ${key.instanceId}/${key.tenantId}/${key.id} --reason "value lost" --yes\`.`,
    EXIT.failure)
}

/** The human lines for an issued key; with a revealed value, stdout holds the value alone. */
export function reportIssued(s: Session, issued: Issued, sentence: string): void {
  if (issued.value !== undefined && issued.storedInKeychain !== false) {
    s.warn('the new key value was written to stdout (--reveal-once); it is also in the keychain. Keep it out of logs.')
  } else if (issued.value !== undefined) {
    s.warn('the new key value was written to stdout (--reveal-once) and is NOT in the keychain: store it now.')
  }
  if (s.json) return
  if (issued.value !== undefined) {
    s.print(issued.value)
    s.info(sentence)
  } else {
    s.print(sentence)
  }
}
