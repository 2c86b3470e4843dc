#!/usr/bin/env node
// `npm start`: the Electron app where Electron's binary exists; otherwise the same UI in
// Chromium with the real core behind it (the browser harness). `--demo`: a bigger seeded emulator.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

/** Node versions (README "System requirements"; package.json engines says the same). */
const NODE_MIN = [20, 19]
const NODE_FOR_ELECTRON = [22, 12]
const nodeAtLeast = ([major, minor]) => {
  const [a, b] = process.versions.node.split('.').map(Number)
  return a > major || (a === major && b >= minor)
}

/** The Electron binary, found like node_modules/electron/index.js does, without requiring it (that downloads). */
function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env })
    child.on('error', (err) => {
      console.error(`Could not start ${command}: ${err.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)))
  })
}

async function main() {
  if (!nodeAtLeast(NODE_MIN)) {
    console.error(`Fluxbase Keys needs Node ${NODE_MIN.join('.')} or newer; this is Node ${process.versions.node}. Install a newer Node (https://nodejs.org) and run npm ci again.`)
    return 1
  }
  if (electronBinary()) {
    if (process.env.FLUXBASE_URL) return run('npx', ['electron-vite', 'preview'])
    // No server configured: the local emulator runs beside the app (it prints its URL and
    // demo credentials, which the first-run screen asks for) and stops with it.
    const emulatorArgs = ['tsx', 'emulator/cli.ts', '--port', process.env.FLUXBASE_EMULATOR_PORT ?? '8787',
      ...(args.includes('--demo') ? ['--tenants', '12', '--keys-per-tenant', '250', '--seed', '20261128'] : [])]
    const emulator = spawn('npx', emulatorArgs, { cwd: root, stdio: 'inherit', env: process.env })
    try {
      return await run('npx', ['electron-vite', 'preview'])
    } finally {
      emulator.kill('SIGTERM')
    }
  }
  const why = nodeAtLeast(NODE_FOR_ELECTRON)
    ? "Electron's binary is not installed (to get it, run `npx install-electron`; it downloads from Electron's release host)."
    : `Electron's binary is not installed, and its installer needs Node ${NODE_FOR_ELECTRON.join('.')} or newer (this is Node ${process.versions.node}).`
  console.log(`${why} Showing the same UI in Chromium with the real core behind it instead.`)
  const script = join(root, 'scripts', 'harness-start.ts')
  const inKeyring = process.env.FLUXBASE_KEYS_IN_KEYRING === '1' || !!process.env.DBUS_SESSION_BUS_ADDRESS
  const withKeyring = join(root, 'scripts', 'with-keyring.sh')
  // The real core keeps credentials in the OS keychain: without a session bus, run inside a
  // private one with a throwaway unlocked keyring (never the operator's own).
  return inKeyring || !existsSync(withKeyring)
    ? run('npx', ['tsx', script, ...args])
    : run(withKeyring, ['npx', 'tsx', script, ...args])
}

main().then((code) => process.exit(code), (err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`)
  console.error('Hint: run `npm install`, then `npm run build`, and try again.')
  process.exit(1)
})
