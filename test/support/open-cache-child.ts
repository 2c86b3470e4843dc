// Child process for the concurrent-first-open test (src/core/cache/open.test.ts): waits until
// the given wall-clock moment, so that every child opens the same new file at once, then
// opens it and reports the schema version (or the error) on stdout.
import { openCache } from '../../src/core/cache/index'

const [file, startAt] = process.argv.slice(2)
const wait = Number(startAt) - Date.now()
setTimeout(() => {
  void (async () => {
    try {
      const cache = openCache(file!)
      await cache.close()
      process.stdout.write('ok\n')
    } catch (error) {
      process.stdout.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    }
  })()
}, Math.max(0, wait))
