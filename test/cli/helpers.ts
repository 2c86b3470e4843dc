// Spawning the real, built CLI (node bin/fluxbase-keys.js) against the emulator, on a data dir
// and keychain service of the test's own (FLUXBASE_KEYS_KEYCHAIN_SERVICE), through pipes: no
// terminal, as in CI. Every run is kept, so a test can scan all output for secrets.
import { execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index'
import { createKeytarStore, type SecretStore } from '../../src/core/secrets'
import { removeTempDir, tempDir } from '../support/temp'

export const ROOT = resolve(__dirname, '..', '..')
export const BIN = join(ROOT, 'bin', 'fluxbase-keys.js')

/** Builds out/cli/index.js from the current source (the build writes it atomically). */
export function buildCli(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'pipe' })
}

export interface CliResult {
  args: string[]
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  input?: string
  env?: Record<string, string | undefined>
  timeoutMs?: number
  cwd?: string
  /** Each chunk of stderr as it arrives (progress lines, to time two processes against each other). */
  onStderr?: (chunk: string) => void
}

/** The environment of a spawned CLI: the test's data dir and keychain service, no colour forcing. */
export function cliEnv(dataDir: string, service: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FLUXBASE_KEYS_DATA_DIR: dataDir, FLUXBASE_KEYS_KEYCHAIN_SERVICE: service }
  delete env.FORCE_COLOR
  delete env.NO_COLOR
  delete env.FLUXBASE_KEYS_DEBUG
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c
      options.onStderr?.(c)
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`fluxbase-keys ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms; stderr: ${stderr}`))
    }, options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ args, code, stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}

export interface CliFixture {
  emulator: RunningEmulator
  dataDir: string
  service: string
  /** The same keychain service the CLI uses: to read issued values for the leak scan, and to clean up. */
  secrets: SecretStore
  runs: CliResult[]
  env(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv
  run(args: string[], options?: RunOptions): Promise<CliResult>
  /** `instances add` with the demo instance admin (password on stdin), then `sync`. */
  onboard(): Promise<void>
  close(): Promise<void>
}

export async function cliFixture(options: { emulator?: EmulatorOptions; dataDir?: string } = {}): Promise<CliFixture> {
  const emulator = await startEmulator({ controlRoutes: true, ...options.emulator })
  const dataDir = options.dataDir ?? tempDir('fbk-cli-')
  const service = `Fluxbase Keys cli test ${randomUUID()}`
  const secrets = createKeytarStore({ service })
  const runs: CliResult[] = []
  const fixture: CliFixture = {
    emulator, dataDir, service, secrets, runs,
    env: (extra) => cliEnv(dataDir, service, extra),
    async run(args, runOptions = {}) {
      const result = await runCli(args, cliEnv(dataDir, service, runOptions.env), runOptions)
      runs.push(result)
      return result
    },
    async onboard() {
      const { email, password } = emulator.credentials.instanceAdmin
      const added = await fixture.run(['instances', 'add', '--url', emulator.url, '--label', 'Emulator', '--email', email, '--password-stdin'], { input: password })
      if (added.code !== 0) throw new Error(`instances add failed (${added.code}): ${added.stderr}`)
      const synced = await fixture.run(['sync', '--quiet'])
      if (synced.code !== 0) throw new Error(`sync failed (${synced.code}): ${synced.stderr}`)
    },
    async close() {
      await emulator.close()
      for (const account of await secrets.list().catch(() => [])) await secrets.delete(account).catch(() => false)
      if (!options.dataDir) removeTempDir(dataDir)
    }
  }
  return fixture
}

/** Every file under a folder (the data dir: SQLite, WAL, logs). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

export const parseJson = (r: CliResult): unknown => {
  try {
    return JSON.parse(r.stdout)
  } catch {
    throw new Error(`not JSON on stdout of fluxbase-keys ${r.args.join(' ')} (exit ${r.code}): ${r.stdout.slice(0, 500)} / stderr: ${r.stderr}`)
  }
}

/** Control sequences a terminal would interpret: colours, cursor moves, carriage returns. */
// eslint-disable-next-line no-control-regex -- the escape character is what is looked for
export const CONTROL = /\u001b\[|\r/
