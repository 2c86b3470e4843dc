// `copy` through the system's clipboard command. This machine has no X11 or Wayland clipboard, so
// the test puts a stand-in `xclip` first on PATH (a shell script keeping the clipboard in a file);
// the CLI drives it exactly as it drives the real one: value on stdin, read back with -out.
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { BIN, buildCli, cliFixture, parseJson, type CliFixture } from './helpers'
import { JSON_SHAPES, shaped } from './schemas'

const FAKE_XCLIP = `#!/bin/sh
# Stand-in for xclip: the clipboard is the file $FAKE_CLIPBOARD; every call's arguments are logged.
echo "$*" >> "$FAKE_CLIPBOARD.args"
case " $* " in
  *" -out "*) cat "$FAKE_CLIPBOARD" 2>/dev/null ;;
  *) cat > "$FAKE_CLIPBOARD" ;;
esac
`

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('copy', () => {
  let fx: CliFixture
  let bin: string
  let board: string
  let value = ''
  const clipboardEnv = () => ({ PATH: `${bin}:${process.env.PATH ?? ''}`, DISPLAY: ':99', WAYLAND_DISPLAY: undefined, FAKE_CLIPBOARD: board })
  const read = () => (existsSync(board) ? readFileSync(board, 'utf8') : '')

  beforeAll(async () => {
    buildCli()
    fx = await cliFixture()
    await fx.onboard()
    bin = tempDir('fbk-bin-')
    board = join(bin, 'clipboard')
    writeFileSync(join(bin, 'xclip'), FAKE_XCLIP)
    chmodSync(join(bin, 'xclip'), 0o755)
    const made = shaped(JSON_SHAPES.create, parseJson(await fx.run(['create', '--tenant', 'acme', '--name', 'cli-copy', '--scope', '*', '--json'])))
    const accounts = await fx.secrets.list('key:')
    expect(accounts).toHaveLength(1)
    value = (await fx.secrets.get(accounts[0] ?? '')) ?? ''
    expect(made.key.hasStoredValue).toBe(true)
    // The shortest delay the settings allow, shared with the app.
    const set = await fx.run(['settings', '--clipboard-clear-seconds', '5', '--json'])
    expect(shaped(JSON_SHAPES.settings, parseJson(set)).clipboardClearSeconds).toBe(5)
  }, 60_000)
  afterAll(async () => fx?.close())

  it('puts the value on the clipboard through stdin, waits, and clears it when it still holds it', async () => {
    writeFileSync(board, 'before')
    const running = fx.run(['copy', 'cli-copy', '--json'], { env: clipboardEnv() })
    await until(() => read() === value)
    const result = await running
    expect(result.code, result.stderr).toBe(0)
    expect(shaped(JSON_SHAPES.copy, parseJson(result))).toMatchObject({ clearsAfterSeconds: 5, cleared: true })
    expect(read()).toBe('')
    expect(result.stderr).toContain('cleared in 5 s if it still holds it')
    // The value was never an argument of the clipboard command.
    expect(readFileSync(`${board}.args`, 'utf8').includes(value)).toBe(false)
    expect(result.stdout.includes(value) || result.stderr.includes(value)).toBe(false)
  }, 30_000)

  it('leaves the clipboard alone when something else was copied meanwhile', async () => {
    const running = fx.run(['copy', 'cli-copy'], { env: clipboardEnv() })
    await until(() => read() === value)
    writeFileSync(board, 'something the operator copied')
    const result = await running
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('left as it is')
    expect(read()).toBe('something the operator copied')
  }, 30_000)

  it('Ctrl-C clears the value at once and exits 130', async () => {
    const child = new Promise<{ code: number | null }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'copy', 'cli-copy'], { env: fx.env(clipboardEnv()), stdio: ['ignore', 'ignore', 'ignore'] })
      void until(() => read() === value).then(() => p.kill('SIGINT'))
      p.on('close', (code) => resolve({ code }))
    })
    const result = await child
    // 130 is the interrupted path (the timer's path exits 0), and the value is gone.
    expect(result.code).toBe(130)
    expect(read()).toBe('')
  }, 30_000)

  it('without a clipboard, says so in one sentence and exits 1', async () => {
    const result = await fx.run(['copy', 'cli-copy'], { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined } })
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain('No clipboard is available here')
  }, 30_000)
})
