// build/electron-builder.yml, read and validated by electron-builder 26's own code (getConfig and
// validateConfiguration, which compile node_modules/app-builder-lib/scheme.json with ajv), and
// held against the app: appId / productName / icons / the Linux desktop entry must be what
// src/main uses, the fuses must be the ones the README promises, and the native modules must be
// unpacked from the asar. No Electron binary is needed: nothing here packages.
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
// electron-builder's config loader creates a jiti (TypeScript configs) whose disk cache would be
// left in TMPDIR; set before the imports below run.
vi.hoisted(() => {
  process.env['JITI_FS_CACHE'] = 'false'
})
// The package index first: its modules import each other in a cycle that only resolves from there.
import { PlatformPackager, type Configuration } from 'app-builder-lib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper'
import { DebugLogger } from 'builder-util'
import { APP_ID, LINUX_DESKTOP_NAME, PRODUCT_NAME, TRAY_ICON, WINDOW_ICON } from '../../src/main/app-identity'

const root = join(__dirname, '../..')
const CONFIG = 'build/electron-builder.yml'
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { productName: string; description: string; version: string; name: string }
const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'))
// The minimatch electron-builder itself matches asarUnpack patterns with, and its YAML parser.
const minimatch = fromBuilder('minimatch') as { minimatch(path: string, pattern: string, options: { dot: boolean }): boolean }
const yaml = fromBuilder('js-yaml') as { load(text: string): unknown }

/** The config as electron-builder loads it (normalised: `files` becomes [{filter}], ...). */
const load = async (): Promise<Configuration> => (await getConfig(root, CONFIG, null)) as Configuration
/** The file as written, for the assertions about what it says. */
const written = (): Configuration => yaml.load(readFileSync(join(root, CONFIG), 'utf8')) as Configuration
const validate = (config: unknown): Promise<void> => validateConfiguration(config as Configuration, new DebugLogger(false))

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path)
  expect(bytes.subarray(1, 4).toString('latin1'), `${path} is a PNG`).toBe('PNG')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

describe('build/electron-builder.yml', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    await expect(validate(await load())).resolves.toBeUndefined()
  })

  it('canaries: the same validator refuses a misspelt fuse, an unknown option and a wrong type', async () => {
    const config = await load()
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsnode: false } })).rejects.toThrow(/electronFuses/)
    await expect(validate({ ...config, asarUnpacked: ['**/*.node'] })).rejects.toThrow(/asarUnpacked/)
    await expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'perhaps' } })).rejects.toThrow(/hardenedRuntime/)
  })

  it('names the app as src/main and package.json do (appId is the Windows notification identity)', async () => {
    const config = written()
    expect(config.appId).toBe(APP_ID)
    expect(config.productName).toBe(PRODUCT_NAME)
    expect(pkg.productName).toBe(PRODUCT_NAME)
  })

  it('applies the fuses the README promises, in the form electron-builder hands to @electron/fuses', async () => {
    const config = written()
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false
    })
    const { FuseV1Options, FuseVersion } = await import('@electron/fuses')
    // electron-builder's own translation (it ignores `this`), flipped into the binary before signing.
    // generateFuseConfig is private in the typings; it is the method packing calls.
    const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig(fuses: unknown): Promise<Record<string | number, unknown>> }).generateFuseConfig
    const wire = await generate.call(null, config.electronFuses)
    expect(wire.version).toBe(FuseVersion.V1)
    expect(wire[FuseV1Options.RunAsNode]).toBe(false)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
  })

  it('packs into an asar with keytar and better-sqlite3 (every .node file) unpacked, rebuilt for Electron', async () => {
    const config = written()
    expect(config.asar).toBe(true)
    expect(config.npmRebuild).toBe(true)
    expect(config.nativeRebuilder).toBe('sequential') // @electron/rebuild, the pinned devDependency
    expect(config.electronDist).toBe('node_modules/electron/dist') // the installed binary, no second download
    const unpack = [config.asarUnpack ?? []].flat() as string[]
    const unpacked = (path: string): boolean => unpack.some((pattern) => minimatch.minimatch(path, pattern, { dot: true }))
    for (const addon of ['node_modules/keytar/build/Release/keytar.node', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/keytar/package.json', 'node_modules/better-sqlite3/lib/index.js']) {
      expect(unpacked(addon), `${addon} is outside the asar`).toBe(true)
    }
    expect(unpacked('out/main/index.js'), 'the app code stays inside the asar').toBe(false)
    expect(config.files).toContain('out/**')
  })

  it('ships the icons main loads by name and icons big enough for each OS', async () => {
    const config = written()
    // extraResources copies resources/*.png next to app.asar, where iconPath() looks when packaged.
    expect(config.extraResources).toEqual([{ from: 'resources', to: '.', filter: ['*.png'] }])
    for (const name of [WINDOW_ICON, TRAY_ICON]) expect(existsSync(join(root, 'resources', name)), `resources/${name}`).toBe(true)
    const icon = (platform: 'linux' | 'mac' | 'win'): { width: number; height: number } => {
      const path = config[platform]?.icon
      expect(path, `${platform}.icon`).toBeTruthy()
      expect(existsSync(join(root, path!)), `${platform}.icon ${path} exists`).toBe(true)
      return pngSize(join(root, path!))
    }
    expect(icon('mac')).toEqual({ width: 512, height: 512 }) // electron-builder makes the .icns from >= 512x512
    expect(icon('win').width).toBeGreaterThanOrEqual(256) // .ico needs 256x256
    expect(icon('linux').width).toBeGreaterThanOrEqual(256)
  })

  it('writes a Linux desktop entry that matches the desktop name main sets', async () => {
    const config = written()
    expect(config.linux?.executableName).toBe(LINUX_DESKTOP_NAME.replace(/\.desktop$/, ''))
    // A FAKE packager with only the fields electron-builder's own LinuxTargetHelper reads.
    const fakePackager = {
      appInfo: { productName: config.productName, sanitizedProductName: config.productName, description: pkg.description },
      executableName: config.linux!.executableName,
      info: { metadata: pkg },
      platformSpecificBuildOptions: config.linux,
      config,
      fileAssociations: []
    }
    const helper = new LinuxTargetHelper(fakePackager as never)
    expect(`${helper.getDesktopFileName()}.desktop`).toBe(LINUX_DESKTOP_NAME)
    const entry = Object.fromEntries((await helper.computeDesktopEntry(config.linux!)).split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    expect(entry).toMatchObject({
      Name: PRODUCT_NAME,
      Type: 'Application',
      Terminal: 'false',
      Icon: 'fluxbase-keys',
      StartupWMClass: LINUX_DESKTOP_NAME.replace(/\.desktop$/, ''),
      Comment: pkg.description,
      Categories: 'Utility;'
    })
    expect(entry['Exec']).toMatch(/fluxbase-keys" %U$/)
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libsecret-1-0', 'libnotify4']))
  })

  it('targets AppImage and deb on Linux, dmg with the hardened runtime on macOS, nsis on Windows', async () => {
    const config = written()
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.win?.target).toEqual(['nsis'])
  })
})
