// scripts/package.mjs where Electron's binary cannot be had: one sentence saying what is missing
// and how to get it, exit non-zero, no stack trace, and nothing built or downloaded. The script is
// run from a copy in a folder without node_modules/electron, so this holds on machines that do
// have Electron (CI) as well as here.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { FUSE_WIRE_ORDER, fuseProblems, installedElectron, isNetworkFailure, packagedExecutables, platformFlag, refusal } from '../../scripts/package-lib.mjs'
import { tempDir } from '../support/temp'

// electron-builder's config loader (imported with its package index) keeps a jiti disk cache in TMPDIR otherwise.
vi.hoisted(() => {
  process.env['JITI_FS_CACHE'] = 'false'
})

const root = join(__dirname, '../..')
const SENTENCE = /^npm run package needs the Electron binary, which is not installed in node_modules\/electron\/dist: run `npx install-electron` on Node 22\.12\+ with access to Electron's release downloads, then npm run package\.$/

/** A project folder with a node_modules/electron as far as `stage` says. */
function project(stage: 'none' | 'package only' | 'binary, other version' | 'binary'): string {
  const dir = tempDir('fbk-package-')
  if (stage === 'none') return dir
  const electron = join(dir, 'node_modules/electron')
  mkdirSync(join(electron, 'dist'), { recursive: true })
  writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }))
  if (stage === 'package only') return dir
  writeFileSync(join(electron, 'path.txt'), 'electron')
  writeFileSync(join(electron, 'dist/electron'), '') // an empty placeholder where the binary would be: only its presence is read
  writeFileSync(join(electron, 'dist/version'), stage === 'binary' ? 'v45.5.0' : 'v44.0.0')
  return dir
}

describe('npm run package preflight (scripts/package-lib.mjs)', () => {
  it('refuses without node_modules/electron, without its binary, or with a binary of another version', () => {
    for (const stage of ['none', 'package only', 'binary, other version'] as const) {
      expect(installedElectron(project(stage)), stage).toBeNull()
      expect(refusal(project(stage)), stage).toMatch(SENTENCE)
    }
  })

  it('goes ahead when the binary of the installed version is there', () => {
    const dir = project('binary')
    expect(installedElectron(dir)).toEqual({ binary: join(dir, 'node_modules/electron/dist/electron'), version: '45.5.0' })
    expect(refusal(dir)).toBeNull()
  })

  it('tells a failed download from a failed build, and picks the platform flag', () => {
    expect(isNetworkFailure('⨯ getaddrinfo ENOTFOUND some.host')).toBe(true)
    expect(isNetworkFailure('TypeError: fetch failed')).toBe(true)
    expect(isNetworkFailure('⨯ Cannot find module keytar')).toBe(false)
    expect([platformFlag('linux'), platformFlag('darwin'), platformFlag('win32')]).toEqual(['--linux', '--mac', '--win'])
  })
})

describe('npm run package without Electron\'s binary', () => {
  it('prints the one sentence, exits 1, shows no stack trace and builds nothing', () => {
    const dir = project('none')
    mkdirSync(join(dir, 'scripts'))
    for (const file of ['package.mjs', 'package-lib.mjs']) copyFileSync(join(root, 'scripts', file), join(dir, 'scripts', file))
    const run = spawnSync(process.execPath, [join(dir, 'scripts/package.mjs')], { cwd: dir, encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr.trim()).toMatch(SENTENCE)
    expect(run.stderr).not.toMatch(/^\s+at /m)
    expect(readdirSync(dir).sort()).toEqual(['scripts']) // no out/, no dist/
  })

  it.runIf(installedElectron(root) === null)('is what `npm run package` does on this checkout (no Electron binary here)', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/package.mjs')], { cwd: root, encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toMatch(SENTENCE)
  })
})

describe('the fuse check after packaging', () => {
  const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'))
  const fuses = fromBuilder('@electron/fuses') as {
    getCurrentFuseWire(path: string): Promise<Record<string | number, unknown>>
    flipFuses(path: string, config: unknown): Promise<unknown>
    FuseV1Options: Record<string, number>
  }
  const electronFuses = (fromBuilder('js-yaml') as { load(t: string): { electronFuses: Record<string, boolean> } })
    .load(readFileSync(join(root, 'build/electron-builder.yml'), 'utf8')).electronFuses

  it('knows the fuse wire in @electron/fuses\' order', () => {
    const byIndex = Object.entries(fuses.FuseV1Options).filter(([, i]) => typeof i === 'number').sort((a, b) => a[1] - b[1]).map(([name]) => name[0]!.toLowerCase() + name.slice(1))
    expect(FUSE_WIRE_ORDER).toEqual(byIndex)
  })

  it('reads back what electron-builder flips with this config (on a SYNTHETIC fuse wire, not an Electron binary)', async () => {
    const file = join(tempDir('fbk-fuses-'), 'synthetic-electron')
    // The sentinel, wire version 1, 8 fuses in Electron's default states: RunAsNode on, cookie
    // encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off, V8 snapshot off, file:// privileges on.
    writeFileSync(file, Buffer.concat([Buffer.from('\0binary before'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.from('binary after\0')]))
    expect(fuseProblems(await fuses.getCurrentFuseWire(file), electronFuses)).toEqual([
      'runAsNode should be off but is on', 'enableNodeOptionsEnvironmentVariable should be off but is on', 'enableNodeCliInspectArguments should be off but is on',
      'enableCookieEncryption should be on but is off', 'onlyLoadAppFromAsar should be on but is off', 'enableEmbeddedAsarIntegrityValidation should be on but is off',
      'grantFileProtocolExtraPrivileges should be off but is on'
    ])
    const { PlatformPackager } = await import('app-builder-lib')
    const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<unknown> }).generateFuseConfig
    await fuses.flipFuses(file, await generate.call(null, electronFuses))
    expect(fuseProblems(await fuses.getCurrentFuseWire(file), electronFuses)).toEqual([])
  })

  it('finds the packaged app electron-builder leaves next to the installers', () => {
    const dist = tempDir('fbk-dist-')
    const names = { productName: 'Fluxbase Keys', executableName: 'fluxbase-keys' }
    mkdirSync(join(dist, 'linux-unpacked'))
    writeFileSync(join(dist, 'linux-unpacked/fluxbase-keys'), '')
    mkdirSync(join(dist, 'win-unpacked'))
    writeFileSync(join(dist, 'win-unpacked/Fluxbase Keys.exe'), '')
    mkdirSync(join(dist, 'mac-arm64/Fluxbase Keys.app'), { recursive: true })
    expect(packagedExecutables(dist, 'linux', names)).toEqual([join(dist, 'linux-unpacked/fluxbase-keys')])
    expect(packagedExecutables(dist, 'win32', names)).toEqual([join(dist, 'win-unpacked/Fluxbase Keys.exe')])
    expect(packagedExecutables(dist, 'darwin', names)).toEqual([join(dist, 'mac-arm64/Fluxbase Keys.app')])
    expect(packagedExecutables(join(dist, 'missing'), 'linux', names)).toEqual([])
  })
})
