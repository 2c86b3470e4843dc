import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dataDirFrom, defaultDataDir, PRODUCT_NAME } from './paths'

describe('the data folder', () => {
  it("is the desktop app's userData: the product name under the OS's config folder", () => {
    expect(defaultDataDir('linux', {}, '/home/op')).toBe('/home/op/.config/Fluxbase Keys')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/op')).toBe('/xdg/Fluxbase Keys')
    expect(defaultDataDir('darwin', {}, '/Users/op')).toBe('/Users/op/Library/Application Support/Fluxbase Keys')
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'C:\\Users\\op')).toBe('C:\\Users\\op\\AppData\\Roaming\\Fluxbase Keys')
  })

  it("uses package.json's productName, the name Electron gives the folder", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { productName: string }
    expect(PRODUCT_NAME).toBe(pkg.productName)
  })

  it('--data-dir wins over FLUXBASE_KEYS_DATA_DIR, which wins over the default', () => {
    expect(dataDirFrom('/a', 'linux', { FLUXBASE_KEYS_DATA_DIR: '/b' })).toBe('/a')
    expect(dataDirFrom(undefined, 'linux', { FLUXBASE_KEYS_DATA_DIR: '/b' })).toBe('/b')
    expect(dataDirFrom(undefined, 'linux', { XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/Fluxbase Keys')
  })
})
