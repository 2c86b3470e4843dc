// Child processes of the benchmarks: node with the tsx loader, one JSON line back.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { REPO_ROOT } from './keyring'

/** Arguments that make node run a .ts file (tsx's loader, as `npm run bench` itself uses). */
export const TSX_NODE_ARGS = ['--import', 'tsx']

export interface Child<T> {
  proc: ChildProcess
  /** The first stdout line that parses as JSON. */
  first: Promise<T>
  /** stderr collected so far (for error messages). */
  stderr(): string
  kill(): void
}

/** A .ts script under tsx's loader, or (`plain`) an already compiled .js script under bare node. */
export function spawnTs<T>(script: string, args: string[], options: { timeoutMs: number; nodeArgs?: string[]; plain?: boolean }): Child<T> {
  const loader = options.plain ? [] : TSX_NODE_ARGS
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, script, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
  let err = ''
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
    if (err.length > 20_000) err = err.slice(-20_000)
  })
  const first = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} gave no answer within ${options.timeoutMs} ms\n${err}`)), options.timeoutMs)
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return
      try {
        const v = JSON.parse(line) as T
        clearTimeout(timer)
        resolve(v)
      } catch {
        // not our line
      }
    })
    proc.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited (${String(code)}) without an answer\n${err}`))
    })
  })
  first.catch(() => undefined)
  return {
    proc,
    first,
    stderr: () => err,
    kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
    }
  }
}
