#!/usr/bin/env node
// The `fluxbase-keys` command (package.json "bin"): runs the built CLI (out/cli/index.js).
'use strict'
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const built = join(__dirname, '..', 'out', 'cli', 'index.js')
if (!existsSync(built)) {
  process.stderr.write(`error: fluxbase-keys is not built yet: run npm run build in ${join(__dirname, '..')}.\n`)
  process.exit(1)
}
require(built)
