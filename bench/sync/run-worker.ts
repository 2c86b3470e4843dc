// Runs the core worker (core-worker.ts, compiled to JavaScript for bare node) once: its data
// folder is made here and removed here whenever the worker goes, and the worker gets a
// bounded moment after its answer to remove its own keychain items before it is stopped.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnTs } from '../support/child'
import { compileForNode } from '../support/compile'
import type { WorkerInput, WorkerOutput } from './core-worker'

/** How long a worker may take over its own clean-up after it answered. */
const CLEAN_UP_MS = 15_000

/** The worker as the app ships the core: compiled JavaScript under bare node (see compile.ts). */
export function compileCoreWorker(): Promise<string> {
  return compileForNode(['src/core', 'src/shared', 'bench/sync', 'bench/support'], join(__dirname, 'core-worker.ts'))
}

export async function runCoreWorker(
  workerJs: string,
  input: Omit<WorkerInput, 'dataDir'>,
  options: { timeoutMs: number; nodeArgs?: string[] }
): Promise<WorkerOutput> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fbk-bench-sync-'))
  const worker = spawnTs<WorkerOutput>(workerJs, [JSON.stringify({ ...input, dataDir } satisfies WorkerInput)], { timeoutMs: options.timeoutMs, nodeArgs: options.nodeArgs, plain: true })
  let out: WorkerOutput
  try {
    out = await worker.first
    if (worker.proc.exitCode === null) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, CLEAN_UP_MS)
        worker.proc.once('exit', () => { clearTimeout(t); r() })
      })
    }
  } finally {
    worker.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
  if (out.error) throw new Error(`core worker: ${out.error}\n${worker.stderr()}`)
  return out
}
