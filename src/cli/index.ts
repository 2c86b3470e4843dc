// `fluxbase-keys`: built to out/cli/index.js (scripts/build-cli.mjs), started by bin/fluxbase-keys.js.
import { runCli } from './cli'
import { EXIT } from './exit-codes'
import { processIo } from './io'

let current: { interrupt(): void } | null = null
let interrupts = 0
process.on('SIGINT', () => {
  // The first Ctrl-C lets the command stop cleanly (a copied value is cleared); the second ends it.
  if (++interrupts > 1) process.exit(EXIT.interrupted)
  current?.interrupt()
})

// The core's close waits for its checkpoint worker, which is unref'd (it must never keep the app
// alive): in a plain Node process nothing else may be keeping the loop alive then, and Node would
// exit, with code 0, before the host has closed. This handle holds the loop until the run is over.
const holdOpen = setInterval(() => undefined, 60_000)

void runCli(processIo(), (run) => (current = run)).then((code) => {
  clearInterval(holdOpen)
  process.exitCode = code
  // Nothing should keep the process alive after the host closed; if something does, do not hang.
  setTimeout(() => process.exit(code), 3000).unref()
})
