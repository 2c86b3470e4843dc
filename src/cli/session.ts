// One CLI run: the global options, the streams, and the core host, opened on the first call and
// closed once at the end. Every operation goes through the host's dispatch, as the app's do.
import pc from 'picocolors'
import type { z } from 'zod'
import { createCoreHost, type CoreHost } from '../core/host'
import type { ExportTargetPort } from '../core/ports'
import { createKeytarStore, keychainLockFile } from '../core/secrets'
import type { AppStatus, EventName, OperationName, OpInput, OpOutput, Result } from '../shared/contract'
import { CliError } from './errors'
import { EXIT } from './exit-codes'
import { colourEnabled, type Io } from './io'
import { dataDirFrom } from './paths'
import { RoutedClipboard, stderrNotifier } from './ports'
import { askSecret } from './prompts'

export interface GlobalOptions {
  dataDir?: string
  json?: boolean
  /** false with --no-color. */
  color?: boolean
  quiet?: boolean
}

export type Colours = ReturnType<typeof pc.createColors>

/** Replaced by the build (scripts/build-cli.mjs) with package.json's version. */
export const CLI_VERSION = process.env.FLUXBASE_KEYS_BUILD_VERSION ?? '0.0.0-dev'

const CLI_SHELL = 'cli' satisfies AppStatus['shell']

/** Test-only: a keychain service name of its own, so tests never touch the operator's entries. */
export const KEYCHAIN_SERVICE_ENV = 'FLUXBASE_KEYS_KEYCHAIN_SERVICE'

export class Session {
  readonly json: boolean
  readonly quiet: boolean
  readonly dataDir: string
  readonly out: Colours
  readonly err: Colours
  readonly clipboard = new RoutedClipboard()
  /** The export command sets where its file goes before it calls export.save. */
  exportTarget: ExportTargetPort = { choosePath: async () => null }
  private host: Promise<CoreHost> | null = null
  private closing: Promise<void> | null = null
  private readonly abort = new AbortController()
  private unlocking: Promise<void> | null = null

  constructor(readonly io: Io, globals: GlobalOptions) {
    this.json = globals.json === true
    this.quiet = globals.quiet === true
    this.dataDir = dataDirFrom(globals.dataDir, io.platform, io.env)
    this.out = pc.createColors(colourEnabled(io.stdout, io.env, globals.color === false))
    this.err = pc.createColors(colourEnabled(io.stderr, io.env, globals.color === false))
  }

  /** The core host on the data dir, opened once (the cache, keychain and settings the app uses). */
  openHost(): Promise<CoreHost> {
    if (this.closing) return Promise.reject(new CliError('internal', 'This run is already closing.', EXIT.failure))
    this.host ??= this.createHost().catch((error: unknown) => {
      throw new CliError('internal', `The local data in ${this.dataDir} could not be opened: ${error instanceof Error ? error.message : String(error)}`, EXIT.failure)
    })
    return this.host
  }

  private createHost(): Promise<CoreHost> {
    return createCoreHost({
      dataDir: this.dataDir,
      shell: CLI_SHELL,
      // The app's schedule warns and finishes rotations; a CLI run must not take its warnings
      // (each is shown once) or disable keys on its own. `check` is the CLI's way to ask.
      runSchedule: false,
      version: CLI_VERSION,
      clipboard: this.clipboard,
      notifier: stderrNotifier((line) => {
        if (!this.quiet) this.io.stderr.write(`${this.err.yellow(line)}\n`)
      }),
      exportTarget: { choosePath: (name) => this.exportTarget.choosePath(name) },
      secrets: createKeytarStore({ service: this.io.env[KEYCHAIN_SERVICE_ENV] || undefined, lockFile: keychainLockFile(this.dataDir) }),
      // The log file is in the data dir; FLUXBASE_KEYS_DEBUG=1 echoes it (never secrets) to stderr.
      ...(this.io.env['FLUXBASE_KEYS_DEBUG'] ? { log: (line: string) => void this.io.stderr.write(`debug: ${line}\n`) } : {})
    })
  }

  /** Dispatches one operation; a failure becomes a CliError with its exit code. */
  async call<K extends OperationName>(name: K, input: OpInput<K>): Promise<OpOutput<K>> {
    const result = await this.attempt(name, input)
    if (!result.ok) throw CliError.fromApi(result.error)
    return result.value
  }

  /**
   * Dispatches one operation and answers the envelope (for per-item outcomes). With an app
   * passcode set, the core starts locked and refuses everything: on a terminal the passcode is
   * asked once (no echo) and the operation tried again.
   */
  async attempt<K extends OperationName>(name: K, input: OpInput<K>): Promise<Result<OpOutput<K>>> {
    const host = await this.openHost()
    const result = await host.dispatch(name, input)
    if (result.ok || result.error.code !== 'locked') return result
    this.unlocking ??= this.unlock(host)
    await this.unlocking
    return host.dispatch(name, input)
  }

  private async unlock(host: CoreHost): Promise<void> {
    const passcode = await askSecret(this, 'Fluxbase Keys passcode:',
      'Fluxbase Keys is locked (an app passcode is set): run the command in a terminal to enter the passcode.', 'locked')
    const result = await host.dispatch('lock.unlock', { passcode })
    if (!result.ok) throw CliError.fromApi(result.error)
    if (result.value.locked) throw new CliError('locked', 'That passcode did not unlock Fluxbase Keys; try again.', EXIT.auth)
  }

  async onEvent(listener: (event: EventName, payload: unknown) => void): Promise<() => void> {
    return (await this.openHost()).onEvent(listener)
  }

  /** A line of the command's result, on stdout. */
  print(line = ''): void {
    this.io.stdout.write(`${line}\n`)
  }

  /** A hint or progress line, on stderr, unless --quiet. */
  info(line: string): void {
    if (!this.quiet) this.io.stderr.write(`${line}\n`)
  }

  /** Something the operator must read (a secret printed, a partial step), on stderr even with --quiet. */
  warn(line: string): void {
    this.io.stderr.write(`${this.err.yellow('warning:')} ${line}\n`)
  }

  /** The command's --json result on stdout, through its schema, so only the documented fields leave. */
  emit<S extends z.ZodType>(schema: S, value: z.input<S>): void {
    this.io.stdout.write(`${JSON.stringify(schema.parse(value), null, 2)}\n`)
  }

  /** Aborted by Ctrl-C: commands that wait (copy) stop waiting. */
  get interrupted(): AbortSignal {
    return this.abort.signal
  }

  /** Ctrl-C: a running sync is cancelled (the core keeps what it fetched), waits end. */
  interrupt(): void {
    this.abort.abort()
    void this.host?.then((host) => host.dispatch('sync.cancel', {}), () => undefined)
  }

  /** Closes the host (the core clears a copied value still on the clipboard), once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const host = await this.host?.catch(() => null)
      await host?.close()
    })()
    return this.closing
  }
}
