// One benchmark in a child process of bench/run.ts: runs it and writes its result as JSON.
// Usage: node --import tsx bench/support/entry.ts <sync|rate|cache|ui> <result.json>
import { writeFileSync } from 'node:fs'
import type { BenchResult } from './report'

async function run(name: string): Promise<BenchResult> {
  switch (name) {
    case 'sync': return (await import('../sync/index')).runSyncBench()
    case 'rate': return (await import('../sync/rate-limited')).runRateBench()
    case 'cache': return (await import('../cache/index')).runCacheBench()
    case 'ui': return (await import('../ui/index')).runUiBench()
    default: throw new Error(`unknown benchmark ${name}`)
  }
}

const [name, out] = process.argv.slice(2)
run(name ?? '').then((r) => {
  writeFileSync(out as string, JSON.stringify(r))
  process.exit(0)
}, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
