// On a terminal (a pseudo-terminal from util-linux `script`): the sync progress bar and colours
// appear, NO_COLOR turns colours off, and --reveal-once refuses to print a value onto it.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreHost } from '../../src/core/host'
import { InMemoryClipboard } from '../../e2e/harness/fakes'
import { BIN, buildCli, cliFixture, type CliFixture } from './helpers'

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`
// eslint-disable-next-line no-control-regex -- colour codes are what is looked for
const COLOUR = /\u001b\[(?:\d+;)*\d+m/

/** Runs the CLI with stdin, stdout and stderr on one pseudo-terminal; answers what it showed. */
function onTerminal(fx: CliFixture, args: string[], env: Record<string, string | undefined> = {}, answer?: { when: string; text: string }): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ')
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...fx.env(env), COLUMNS: '120', TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let screen = ''
    let answered = false
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      screen += c
      // Typed at the prompt, as a person would (script forwards its stdin to the terminal).
      if (answer && !answered && screen.includes(answer.when)) {
        answered = true
        child.stdin.write(`${answer.text}\r`)
      }
    })
    child.stderr.setEncoding('utf8').on('data', (c: string) => (screen += c))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out on a terminal: ${screen}`))
    }, 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen })
    })
  })
}

describe('on a terminal', () => {
  let fx: CliFixture
  beforeAll(async () => {
    buildCli()
    fx = await cliFixture({ emulator: { seed: { tenants: 30, keysPerTenant: 3, seed: 5 }, latencyMs: 30 } })
    await fx.onboard()
  }, 60_000)
  afterAll(async () => fx?.close())

  it('sync draws a progress bar instead of plain lines', async () => {
    const { code, screen } = await onTerminal(fx, ['sync'])
    expect(code).toBe(0)
    expect(screen).toContain('Syncing')
    expect(screen).toMatch(/\d+\/\d+ tenants/)
    expect(screen).toContain('\r')
    expect(screen).not.toMatch(/^sync \d+\/\d+ /m)
    expect(screen).toMatch(/Synced \d+ of \d+ tenants/)
  }, 60_000)

  it('colours on a terminal, none with NO_COLOR or --no-color', async () => {
    expect((await onTerminal(fx, ['ls', '--limit', '5'])).screen).toMatch(COLOUR)
    expect((await onTerminal(fx, ['ls', '--limit', '5'], { NO_COLOR: '1' })).screen).not.toMatch(COLOUR)
    expect((await onTerminal(fx, ['ls', '--limit', '5', '--no-color'])).screen).not.toMatch(COLOUR)
  }, 60_000)

  it('--reveal-once refuses a terminal before anything is issued', async () => {
    const tenant = fx.emulator.tenants[1]?.slug ?? ''
    const { code, screen } = await onTerminal(fx, ['create', '--tenant', tenant, '--name', 'never-made', '--scope', '*', '--reveal-once'])
    expect(code).toBe(2)
    expect(screen).toContain('never onto a terminal')
    const after = await fx.run(['ls', '--text', 'never-made', '--json'])
    expect(JSON.parse(after.stdout)).toMatchObject({ total: 0 })
    expect(await fx.secrets.list('key:')).toEqual([])
  }, 60_000)

  it('with an app passcode set, asks for it on a terminal (no echo), and exits 3 without one', async () => {
    const passcode = 'correct horse 42'
    const app = await createCoreHost({
      dataDir: fx.dataDir, shell: 'electron', version: 'test', clipboard: new InMemoryClipboard(), notifier: { show: () => undefined },
      exportTarget: { choosePath: async () => null }, secrets: fx.secrets
    })
    const set = await app.dispatch('lock.setPasscode', { passcode })
    await app.close()
    expect(set.ok).toBe(true)

    const piped = await fx.run(['ls', '--limit', '1'])
    expect(piped.code).toBe(3)
    expect(piped.stderr).toContain('locked')
    const unlocked = await onTerminal(fx, ['ls', '--limit', '1'], { NO_COLOR: '1' }, { when: 'passcode', text: passcode })
    expect(unlocked.code, unlocked.screen).toBe(0)
    expect(unlocked.screen).toMatch(/NAME\s+TENANT/)
    expect(unlocked.screen.includes(passcode)).toBe(false)
    const wrong = await onTerminal(fx, ['ls', '--limit', '1'], {}, { when: 'passcode', text: 'not it at all' })
    expect(wrong.code).toBe(3)
  }, 90_000)
})
