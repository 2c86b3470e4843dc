// The system clipboard for the core's copy (keys.copyValue), over the platform's own commands:
// wl-copy/wl-paste (Wayland), xclip or xsel (X11), pbcopy/pbpaste (macOS), clip and PowerShell
// (Windows). The value always goes through the command's stdin, never its arguments. The core's
// ClipboardGuard keeps the clear-if-unchanged rule: it reads the clipboard back before clearing.
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { ClipboardPort } from '../core/ports'
import { CliError } from './errors'
import { EXIT } from './exit-codes'

interface Invocation { command: string; args: string[] }

export interface ClipboardTool {
  name: string
  write: Invocation
  read: Invocation
  /** Empties the clipboard; null: write an empty text instead. */
  clear: Invocation | null
}

const inv = (command: string, ...args: string[]): Invocation => ({ command, args })

/** An executable on PATH (with PATHEXT on Windows), or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  const exts = platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : ['']
  for (const dir of (env['PATH'] ?? '').split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const candidate = join(dir, name + ext)
      try {
        accessSync(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK)
        return candidate
      } catch {
        // not here
      }
    }
  }
  return null
}

/** The clipboard commands this machine has, in order of preference; null when there are none. */
export function detectClipboardTool(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): ClipboardTool | null {
  const has = (name: string) => findOnPath(name, env, platform) !== null
  if (platform === 'darwin') {
    return has('pbcopy') && has('pbpaste') ? { name: 'pbcopy', write: inv('pbcopy'), read: inv('pbpaste'), clear: null } : null
  }
  if (platform === 'win32') {
    const ps = has('powershell') ? 'powershell' : has('pwsh') ? 'pwsh' : null
    if (!has('clip') || !ps) return null
    return {
      name: 'clip',
      write: inv('clip'),
      read: inv(ps, '-NoProfile', '-NonInteractive', '-Command', '[Console]::Out.Write((Get-Clipboard -Raw))'),
      clear: inv(ps, '-NoProfile', '-NonInteractive', '-Command', 'Set-Clipboard -Value $null')
    }
  }
  if (env['WAYLAND_DISPLAY'] && has('wl-copy') && has('wl-paste')) {
    return { name: 'wl-copy', write: inv('wl-copy'), read: inv('wl-paste', '--no-newline'), clear: inv('wl-copy', '--clear') }
  }
  if (env['DISPLAY']) {
    if (has('xclip')) {
      return { name: 'xclip', write: inv('xclip', '-selection', 'clipboard', '-in'), read: inv('xclip', '-selection', 'clipboard', '-out'), clear: null }
    }
    if (has('xsel')) {
      return { name: 'xsel', write: inv('xsel', '--clipboard', '--input'), read: inv('xsel', '--clipboard', '--output'), clear: inv('xsel', '--clipboard', '--clear') }
    }
  }
  return null
}

export const NO_CLIPBOARD =
  'No clipboard is available here: install wl-clipboard (Wayland), xclip or xsel (X11) in a desktop session, or use --reveal-once when creating or rotating to hand a value to another program.'

/** Runs a clipboard command; `input` goes to its stdin. X11 tools fork a child that keeps the selection: only wait for exit. */
function run(call: Invocation, env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(call.command, call.args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', input === undefined ? 'pipe' : 'ignore', 'ignore'], windowsHide: true })
    let out = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.on('error', (error) => reject(new CliError('clipboard', `The clipboard command ${call.command} could not run (${error.message}).`, EXIT.failure)))
    child.on('exit', (code) => {
      if (code === 0) resolve(out)
      else reject(new CliError('clipboard', `The clipboard command ${call.command} failed (exit code ${String(code)}).`, EXIT.failure))
    })
    if (input !== undefined) child.stdin?.end(input, 'utf8')
  })
}

/** A ClipboardPort over the detected commands; throws the "no clipboard" sentence when there are none. */
export function systemClipboard(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): ClipboardPort {
  const tool = detectClipboardTool(env, platform)
  if (!tool) throw new CliError('clipboard', NO_CLIPBOARD, EXIT.failure)
  return {
    async writeText(text) {
      await run(tool.write, env, text)
    },
    readText: () => run(tool.read, env),
    async clear() {
      if (tool.clear) await run(tool.clear, env)
      else await run(tool.write, env, '')
    }
  }
}
