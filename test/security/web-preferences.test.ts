// Every BrowserWindow (and BrowserView / WebContentsView) the main process creates, and every
// webPreferences it writes, follows one policy: sandbox and contextIsolation true, no Node in the
// page, web security on. electronegativity does not flag `nodeIntegration: true`, and the e2e test
// that probes the live window needs an Electron binary; this check needs neither. The policy and
// how windows are found are in web-preferences-audit.ts. The canaries below are in-memory source
// files audited in the same program as src/main: each insecure variant must be caught.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditWebPreferences, REPO_ROOT, sourceFiles } from './web-preferences-audit'

const SECURE = `contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true`

/** name -> [source of a main-process module, messages the audit must report for it ([] = none)]. */
const CANARIES: Record<string, [string, string[]]> = {
  'secure window (the audit is not simply failing everything)': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ show: false, webPreferences: { ${SECURE}, nodeIntegrationInWorker: false } })`, []],
  'secure window relying on the secure defaults of the off-by-default switches': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ webPreferences: { sandbox: true, contextIsolation: true } })`, []],
  'nodeIntegration: true': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ webPreferences: { ${SECURE.replace('nodeIntegration: false', 'nodeIntegration: true')} } })`,
    ['nodeIntegration must be absent or the literal false, not true']],
  'sandbox: false, contextIsolation: false': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ webPreferences: { sandbox: false, contextIsolation: false } })`,
    ['sandbox must be the literal true, not false', 'contextIsolation must be the literal true, not false']],
  'sandbox and contextIsolation left to defaults': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ webPreferences: { nodeIntegration: false } })`,
    ['webPreferences must set sandbox: true explicitly', 'webPreferences must set contextIsolation: true explicitly']],
  'no webPreferences at all': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ width: 800 })`,
    ['window options need webPreferences']],
  'no options at all': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow()`,
    ['a window needs options with webPreferences']],
  'webSecurity: false': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ webPreferences: { ${SECURE.replace('webSecurity: true', 'webSecurity: false')} } })`,
    ['webSecurity must be absent or the literal true, not false']],
  'the other Node and content switches turned on': [
    `import { BrowserWindow } from 'electron'
     export const w = new BrowserWindow({ webPreferences: { ${SECURE}, nodeIntegrationInWorker: true, nodeIntegrationInSubFrames: true,
       webviewTag: true, allowRunningInsecureContent: true, experimentalFeatures: true, enableBlinkFeatures: 'CSSOMSmoothScroll' } })`,
    ['nodeIntegrationInWorker must be absent or the literal false', 'nodeIntegrationInSubFrames must be absent or the literal false',
      'webviewTag must be absent or the literal false', 'allowRunningInsecureContent must be absent or the literal false',
      'experimentalFeatures must be absent or the literal false', 'enableBlinkFeatures is not allowed']],
  'a computed value': [
    `import { BrowserWindow } from 'electron'
     const dev = process.env['DEV'] === '1'
     export const w = new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: !dev, nodeIntegration: dev } })`,
    ['sandbox must be the literal true, not !dev', 'nodeIntegration must be absent or the literal false, not dev']],
  'an aliased import': [
    `import { BrowserWindow as Win } from 'electron'
     export const w = new Win({ webPreferences: { ${SECURE.replace('nodeIntegration: false', 'nodeIntegration: true')} } })`,
    ['nodeIntegration must be absent or the literal false']],
  'a namespace import': [
    `import * as electron from 'electron'
     export const w = new electron.BrowserWindow({ webPreferences: { contextIsolation: true } })`,
    ['webPreferences must set sandbox: true explicitly']],
  'a subclass of BrowserWindow': [
    `import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'
     class Popup extends BrowserWindow { constructor(options: BrowserWindowConstructorOptions) { super(options) } }
     export const w = new Popup({ width: 400 })`,
    ['window options need webPreferences']],
  'options in a variable': [
    `import { BrowserWindow } from 'electron'
     const options = { webPreferences: { ${SECURE} } }
     export const w = new BrowserWindow(options)`,
    ['window options must be an inline object literal']],
  'webPreferences in a variable or spread': [
    `import { BrowserWindow } from 'electron'
     const prefs = { ${SECURE} }
     export const a = new BrowserWindow({ webPreferences: prefs })
     export const b = new BrowserWindow({ webPreferences: { ...prefs } })`,
    ['webPreferences must be an inline object literal', 'no spread in webPreferences']],
  'a typed WebPreferences object': [
    `import type { WebPreferences } from 'electron'
     export const prefs: WebPreferences = { ${SECURE}, nodeIntegrationInSubFrames: true }`,
    ['nodeIntegrationInSubFrames must be absent or the literal false']],
  'a WebContentsView': [
    `import { WebContentsView } from 'electron'
     export const v = new WebContentsView({ webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: true } })`,
    ['nodeIntegration must be absent or the literal false']],
  'a window.open override': [
    `import type { WebContents } from 'electron'
     export function allow(contents: WebContents): void {
       contents.setWindowOpenHandler(() => ({ action: 'allow', overrideBrowserWindowOptions: { webPreferences: { sandbox: true, contextIsolation: true, webviewTag: true } } }))
     }`,
    ['webviewTag must be absent or the literal false']]
}

describe('webPreferences of every window in src/main', () => {
  it('every window and every webPreferences in src/main follows the policy', () => {
    const audit = auditWebPreferences(sourceFiles('src/main'))
    console.log(`web-preferences: ${audit.windows.length} window(s) at ${audit.windows.map((w) => `${w.file}:${w.line}`).join(', ')}; ${audit.webPreferences.length} webPreferences checked`)
    // The audit must see the app's one window, or it proves nothing.
    expect(audit.windows.map((w) => w.file)).toContain('src/main/window.ts')
    expect(audit.webPreferences.map((w) => w.file)).toContain('src/main/window.ts')
    expect(audit.violations.map((v) => `${v.file}:${v.line}: ${v.message} (${v.text})`)).toEqual([])
  }, 120_000)

  it('canaries: in-memory main-process modules with insecure windows are caught, secure ones pass', () => {
    const names = Object.keys(CANARIES)
    const pathOf = (i: number): string => join(REPO_ROOT, `src/main/__web_preferences_canary_${i}__.ts`)
    const virtual = Object.fromEntries(names.map((name, i) => [pathOf(i), CANARIES[name]![0]]))
    // Audited in one program with the real src/main, as if the canaries had been added to it.
    const audit = auditWebPreferences([...sourceFiles('src/main'), ...Object.keys(virtual)], virtual)

    const fileOf = (i: number): string => `src/main/__web_preferences_canary_${i}__.ts`
    expect(audit.violations.filter((v) => !v.file.includes('__web_preferences_canary_')), 'the real sources stay clean').toEqual([])
    names.forEach((name, i) => {
      const [, expected] = CANARIES[name]!
      const found = audit.violations.filter((v) => v.file === fileOf(i)).map((v) => v.message)
      if (expected.length === 0) expect(found, `${name}: no violations expected`).toEqual([])
      for (const message of expected) expect(found.some((m) => m.startsWith(message)), `${name}: expected "${message}", got ${JSON.stringify(found)}`).toBe(true)
    })
  }, 120_000)
})
