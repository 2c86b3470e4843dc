// The decisions of `npm run package` (scripts/package.mjs), kept free of side effects so
// test/main/package-script.test.ts can check them without running a build.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The installed Electron binary, found the way node_modules/electron/index.js finds it but
 * WITHOUT requiring that file (requiring it starts a download when the binary is missing).
 * Returns null when path.txt, the binary or a matching dist/version is missing.
 */
export function installedElectron(root) {
  const dir = join(root, 'node_modules', 'electron')
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return null
  let wanted
  try {
    wanted = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
  } catch {
    return null
  }
  const versionFile = join(dir, 'dist', 'version')
  const installed = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : null
  if (installed !== wanted) return null
  return { binary, version: wanted }
}

/** The one sentence printed when Electron's binary is not there; null when packaging can go ahead. */
export function refusal(root) {
  if (installedElectron(root)) return null
  return 'npm run package needs the Electron binary, which is not installed in node_modules/electron/dist: ' +
    'run `npx install-electron` on Node 22.12+ with access to Electron\'s release downloads, then npm run package.'
}

/** Words in electron-builder's output that mean a download failed, not the build. */
const NETWORK_FAILURE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|fetch failed|socket hang up)\b/

export function isNetworkFailure(output) {
  return NETWORK_FAILURE.test(output)
}

/** electron-builder's platform flag for this OS; the targets per OS are in build/electron-builder.yml. */
export function platformFlag(platform) {
  if (platform === 'darwin') return '--mac'
  if (platform === 'win32') return '--win'
  return '--linux'
}

/** electron-builder's `electronFuses` names, in the order of Electron's V1 fuse wire (@electron/fuses FuseV1Options). */
export const FUSE_WIRE_ORDER = [
  'runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'
]
const ENABLED = 49 // '1' in the wire (@electron/fuses FuseState.ENABLE)
const DISABLED = 48 // '0'

/**
 * What differs between a fuse wire read back from a packaged binary (@electron/fuses
 * getCurrentFuseWire: {version, 0: state, 1: state, ...}) and the config's `electronFuses`.
 * [] when every configured fuse is set as configured.
 */
export function fuseProblems(wire, electronFuses) {
  if (String(wire.version) !== '1') return [`unknown fuse wire version ${String(wire.version)}`]
  const problems = []
  for (const [name, wanted] of Object.entries(electronFuses)) {
    const index = FUSE_WIRE_ORDER.indexOf(name)
    if (index === -1) { problems.push(`${name} is not a fuse this script knows`); continue }
    const state = wire[index]
    if (state !== (wanted ? ENABLED : DISABLED)) problems.push(`${name} should be ${wanted ? 'on' : 'off'} but is ${state === ENABLED ? 'on' : state === DISABLED ? 'off' : `state ${String(state)}`}`)
  }
  return problems
}

/** The packaged Electron executables electron-builder leaves in dist/ (the unpacked app next to the installers). */
export function packagedExecutables(distDir, platform, names) {
  if (!existsSync(distDir)) return []
  const dirs = readdirSync(distDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
  if (platform === 'darwin') return dirs.filter((d) => /^mac/.test(d)).map((d) => join(distDir, d, `${names.productName}.app`)).filter(existsSync)
  if (platform === 'win32') return dirs.filter((d) => /^win.*-unpacked$/.test(d)).map((d) => join(distDir, d, `${names.productName}.exe`)).filter(existsSync)
  return dirs.filter((d) => /^linux.*-unpacked$/.test(d)).map((d) => join(distDir, d, names.executableName)).filter(existsSync)
}
