// The ports the CLI gives the core (src/core/ports.ts): the clipboard (the system's, or the
// one-shot hand-off of --reveal-once), a notifier that writes warnings to stderr, and an export
// target that writes where --output says.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ClipboardPort, ExportTargetPort, NotifierPort } from '../core/ports'
import type { WarningEvent } from '../shared/contract'

/**
 * The clipboard the host holds for its whole life: none until a command chooses one. `copy` picks
 * the system clipboard (after checking there is one), --reveal-once a hand-off that passes the value
 * to the CLI, so the value still comes out of the core's own copy (keys.copyValue), never from a
 * keychain read of the CLI's.
 */
export class RoutedClipboard implements ClipboardPort {
  private target: ClipboardPort | null = null

  use(target: ClipboardPort): void {
    this.target = target
  }

  private current(): ClipboardPort {
    if (!this.target) throw new Error('no clipboard was chosen for this command')
    return this.target
  }

  writeText(text: string) {
    return this.current().writeText(text)
  }

  readText() {
    return this.target ? this.target.readText() : ''
  }

  clear() {
    return this.target?.clear()
  }
}

/** --reveal-once: the core's copy lands here, goes to `deliver` once, and is not kept. */
export class RevealHandOff implements ClipboardPort {
  private delivered = false

  constructor(private readonly deliver: (value: string) => void) {}

  writeText(text: string): void {
    if (this.delivered) return
    this.delivered = true
    this.deliver(text)
  }

  /** Nothing is held: the guard finds "something else" and leaves it alone. */
  readText(): string {
    return ''
  }

  clear(): void {}
}

/**
 * Warnings the core's schedule sends (grace ending, expiring). The CLI opens its host without the
 * schedule (session.ts: runSchedule false), because the schedule records each warning as sent and
 * a CLI run would take it from the desktop app; should one arrive anyway, it goes to stderr.
 */
export function stderrNotifier(write: (line: string) => void): NotifierPort {
  return {
    show(warning: WarningEvent) {
      write(`notice: ${warning.title}${warning.body ? ` ${warning.body}` : ''}`)
    }
  }
}

/**
 * export.save writes to --output (default: the suggested name in the current folder). An existing
 * file is not replaced without --force: the target answers "cancelled" and remembers why, so the
 * command can say it (an error thrown here would reach the core as an unexpected failure).
 */
export class OutputTarget implements ExportTargetPort {
  refused: string | null = null

  constructor(private readonly output: string | undefined, private readonly cwd: string, private readonly force: boolean) {}

  async choosePath(suggestedName: string): Promise<string | null> {
    const path = resolve(this.cwd, this.output ?? suggestedName)
    if (existsSync(path) && !this.force) {
      this.refused = path
      return null
    }
    return path
  }
}
