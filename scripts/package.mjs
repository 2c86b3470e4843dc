#!/usr/bin/env node
// npm run package: installers for this OS into dist/ (Linux: AppImage and deb; macOS: dmg;
// Windows: nsis; see build/electron-builder.yml and README "Packaging").
// 1. Refuses in one sentence, exit 1, when Electron's binary is not installed (it never downloads it).
// 2. electron-vite build (out/).
// 3. electron-builder: rebuilds keytar and better-sqlite3 for Electron's ABI with @electron/rebuild,
//    packs app.asar with the addons unpacked, flips the fuses, signs where credentials are set.
// 4. Reads the fuses back from the packaged binary and fails if one is not as configured.
// 5. Puts the Node build of the native modules back (npm rebuild), so the tests keep working on
//    this checkout; `--no-restore` skips it (CI, where packaging is the last step).
// A failing step is named in one line after its own output; no stack trace of ours.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fuseProblems, isNetworkFailure, packagedExecutables, platformFlag, refusal } from './package-lib.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const restore = !process.argv.includes('--no-restore')

const refused = refusal(root)
if (refused) {
  console.error(refused)
  process.exit(1)
}

/** Runs a command with its output shown as it comes; resolves with the exit code and the output's tail. */
function run(label, command, args) {
  console.log(`[package] ${label}`)
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env })
    let tail = ''
    const keep = (chunk, out) => {
      out.write(chunk)
      tail = (tail + chunk.toString()).slice(-64 * 1024)
    }
    child.stdout.on('data', (chunk) => keep(chunk, process.stdout))
    child.stderr.on('data', (chunk) => keep(chunk, process.stderr))
    child.on('error', (error) => resolve({ code: 1, tail: String(error.message) }))
    child.on('close', (code) => resolve({ code: code ?? 1, tail }))
  })
}

const node = process.execPath
const bin = (path) => join(root, 'node_modules', ...path.split('/'))
// npm itself, through the npm that runs this script (works on Windows without a shell).
const npm = process.env.npm_execpath ? [node, [process.env.npm_execpath]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []]

async function main() {
  const built = await run('electron-vite build', node, [bin('electron-vite/bin/electron-vite.js'), 'build'])
  if (built.code !== 0) return fail(`electron-vite build failed (exit ${built.code}), see above.`)

  const packed = await run(`electron-builder ${platformFlag(process.platform)}`, node, [
    bin('electron-builder/cli.js'), platformFlag(process.platform), '--config', 'build/electron-builder.yml', '--publish', 'never'
  ])
  if (restore) {
    const [command, prefix] = npm
    const restored = await run('restoring the Node build of keytar and better-sqlite3 for the tests', command, [...prefix, 'rebuild', 'keytar', 'better-sqlite3'])
    if (restored.code !== 0) console.error('[package] npm rebuild keytar better-sqlite3 failed: run it by hand before npm test.')
  }
  if (packed.code !== 0) {
    return fail(isNetworkFailure(packed.tail)
      ? 'electron-builder could not download one of its packaging tools (see above): run npm run package on a machine with access to electron-builder\'s release downloads.'
      : `electron-builder failed (exit ${packed.code}), see above.`)
  }
  const verified = await verifyFuses()
  if (verified !== 0) return verified
  console.log('[package] installers are in dist/')
  return 0
}

/** The fuses as flipped in each packaged binary, against build/electron-builder.yml's electronFuses. */
async function verifyFuses() {
  // electron-builder's own YAML parser and @electron/fuses, the ones it packaged with.
  const fromBuilder = createRequire(join(root, 'node_modules/app-builder-lib/package.json'))
  const config = fromBuilder('js-yaml').load(readFileSync(join(root, 'build/electron-builder.yml'), 'utf8'))
  const { getCurrentFuseWire } = fromBuilder('@electron/fuses')
  const executables = packagedExecutables(join(root, 'dist'), process.platform, { productName: config.productName, executableName: config.linux.executableName })
  if (executables.length === 0) return fail('electron-builder finished, but no packaged app was found in dist/ to check the fuses of.')
  for (const executable of executables) {
    const problems = fuseProblems(await getCurrentFuseWire(executable), config.electronFuses)
    if (problems.length > 0) return fail(`the fuses of ${executable} are not as configured: ${problems.join('; ')}.`)
    console.log(`[package] fuses checked in ${executable}: ${Object.entries(config.electronFuses).map(([k, v]) => `${k} ${v ? 'on' : 'off'}`).join(', ')}`)
  }
  return 0
}

function fail(sentence) {
  console.error(`npm run package: ${sentence}`)
  return 1
}

main().then((code) => process.exit(code), (error) => {
  console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
