// The process boundaries in eslint.config.js, proven: one deliberately broken snippet per rule must
// raise exactly that rule with its message, and a clean snippet per folder must raise none.
// Snippets are linted as virtual files (lintText with a filePath inside each folder): nothing is
// written into src/. The config is not type-aware (no parserOptions.project), so a virtual path
// gets the same parser and rules as a real file there; the test checks that the path is not ignored.
import { resolve } from 'node:path'
import { ESLint, type Linter } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const repoRoot = resolve(__dirname, '../..')
const BOUNDARY_RULES = ['no-restricted-imports', 'no-restricted-syntax', 'no-restricted-globals']

// The messages, as eslint.config.js words them (a change of wording must be made in both places).
const MSG = {
  coreElectron: 'core must not import electron: take what you need through a port in src/core/ports.ts.',
  coreMain: 'core must not import src/main: the shells compose core, never the reverse; add a port in src/core/ports.ts.',
  coreRenderer: 'core must not import src/renderer: the UI reaches core through window.api, never the reverse.',
  coreEmulator: 'core must not import emulator/: tests and tools import the app, never the reverse.',
  coreTest: 'core must not import test/: tests and tools import the app, never the reverse.',
  computed: 'Module specifiers in src/ must be string literals, so lint can check the layer boundaries.',
  productionTests: 'Production code must not import test code: move the helper into test/support, or the import into a *.test.ts.',
  rendererEmulator: 'renderer must not import emulator/: tests and tools import the app, never the reverse.',
  rendererCore: 'renderer must not import src/core: call window.api; types and pure helpers come from src/shared.',
  rendererElectron: 'renderer must not import electron: it is sandboxed; call window.api (src/shared/contract.ts).',
  rendererNode: 'renderer must not import node built-ins: it is sandboxed; ask the core through window.api.',
  rendererNodeGlobal: 'The renderer is sandboxed: no Node globals; ask the core through window.api.',
  mainRenderer: 'main must not import the renderer: send data through the IPC contract in src/shared/contract.ts.',
  mainPreload: 'main must not import preload code: it loads the built preload by path; share code through src/shared.',
  preloadCore: 'preload must not import src/core: it only bridges the contract (src/shared) to ipcRenderer.',
  preloadElectronNames: "preload takes only { contextBridge, ipcRenderer } from 'electron'; the rest belongs in main behind the IPC contract.",
  preloadElectronOther: "preload takes only { contextBridge, ipcRenderer } from 'electron', by a static import; the rest belongs in main behind the IPC contract.",
  sharedDom: 'src/shared is pure: no DOM globals; take what you need as an argument.',
  sharedNodeGlobal: 'src/shared is pure: no Node globals; take what you need as an argument.',
  sharedNode: 'src/shared must not import node built-ins: it also runs in the renderer; take the data as an argument.',
  sharedImportMeta: 'src/shared must not read import.meta: it depends on the bundler and process; take the value as an argument.',
  sharedCore: 'src/shared must not import src/core: shared is the bottom layer; move what both sides need into src/shared.',
  cliElectron: 'cli must not import electron: it runs in plain Node on src/core; take what you need through a port in src/core/ports.ts.',
  cliMain: 'cli must not import src/main: it is a shell on src/core like main; share code through core.',
  emulatorSrc: 'emulator must not import src/: it must behave like the real server, not like our client; copy what it needs.'
}

// Virtual files, one folder level deeper where that changes the relative paths.
const F = {
  core: 'src/core/__lint-probe__.ts',
  coreSync: 'src/core/sync/__lint-probe__.ts',
  coreTest: 'src/core/sync/__lint-probe__.test.ts',
  renderer: 'src/renderer/src/lib/__lint-probe__.ts',
  rendererSvelte: 'src/renderer/src/components/LintProbe.svelte',
  main: 'src/main/__lint-probe__.ts',
  mainSecurity: 'src/main/security/__lint-probe__.ts',
  preload: 'src/preload/__lint-probe__.ts',
  shared: 'src/shared/__lint-probe__.ts',
  cli: 'src/cli/index.ts',
  emulator: 'emulator/__lint-probe__.ts'
}

interface Broken {
  name: string
  file: string
  code: string
  rule: (typeof BOUNDARY_RULES)[number]
  message: string
}

const broken: Broken[] = [
  // core: electron, by every route that can be caught statically
  { name: 'core imports electron', file: F.core, rule: 'no-restricted-imports', message: MSG.coreElectron,
    code: "import { app } from 'electron'\nexport const name = app.getName()\n" },
  { name: 'core re-exports electron', file: F.core, rule: 'no-restricted-imports', message: MSG.coreElectron,
    code: "export { app } from 'electron'\n" },
  { name: 'core requires electron', file: F.core, rule: 'no-restricted-syntax', message: MSG.coreElectron,
    code: "const { app } = require('electron')\nexport const name = app.getName()\n" },
  { name: 'core imports electron dynamically', file: F.core, rule: 'no-restricted-syntax', message: MSG.coreElectron,
    code: "export async function load() {\n  return import('electron')\n}\n" },
  { name: 'core loads electron through createRequire(import.meta.url)', file: F.core, rule: 'no-restricted-syntax', message: MSG.coreElectron,
    code: "import { createRequire } from 'node:module'\nexport const electron = createRequire(import.meta.url)('electron')\n" },
  { name: 'core loads electron through a renamed require', file: F.core, rule: 'no-restricted-syntax', message: MSG.coreElectron,
    code: "import { createRequire } from 'node:module'\nconst load = createRequire(__filename)\nexport const electron = load('electron')\n" },
  { name: 'core resolves electron through import.meta.resolve', file: F.core, rule: 'no-restricted-syntax', message: MSG.coreElectron,
    code: "export const where = import.meta.resolve('electron')\n" },
  { name: "core takes electron's types through import('electron')", file: F.core, rule: 'no-restricted-syntax', message: MSG.coreElectron,
    code: "export type App = import('electron').App\n" },
  { name: 'core hides the specifier from lint', file: F.core, rule: 'no-restricted-syntax', message: MSG.computed,
    code: "export const load = () => import(['elec', 'tron'].join(''))\n" },
  // core: the shells, the tools, test code
  { name: 'core imports main', file: F.coreSync, rule: 'no-restricted-imports', message: MSG.coreMain,
    code: "import { registerIpc } from '../../main/ipc'\nexport const r = registerIpc\n" },
  { name: 'core imports the renderer through an alias', file: F.core, rule: 'no-restricted-imports', message: MSG.coreRenderer,
    code: "import { formatDate } from '@/renderer/src/lib/format'\nexport const f = formatDate\n" },
  { name: 'core imports the emulator', file: F.coreSync, rule: 'no-restricted-imports', message: MSG.coreEmulator,
    code: "import { startEmulator } from '../../../emulator/index'\nexport const s = startEmulator\n" },
  { name: 'production core imports test helpers', file: F.coreSync, rule: 'no-restricted-imports', message: MSG.productionTests,
    code: "import { tempDir } from '../cache/test-helpers'\nexport const t = tempDir\n" },
  { name: 'production core requires test fixtures', file: F.coreSync, rule: 'no-restricted-syntax', message: MSG.productionTests,
    code: "export const child = require('../secrets/fixtures/keychain-child')\n" },
  { name: 'production core imports test/support', file: F.coreSync, rule: 'no-restricted-imports', message: MSG.coreTest,
    code: "import { createCoreFixture } from '../../../test/support/core-fixture'\nexport const c = createCoreFixture\n" },
  { name: 'production core imports vitest', file: F.coreSync, rule: 'no-restricted-imports', message: MSG.productionTests,
    code: "import { vi } from 'vitest'\nexport const v = vi\n" },
  { name: 'a core test still may not import electron', file: F.coreTest, rule: 'no-restricted-imports', message: MSG.coreElectron,
    code: "import { it } from 'vitest'\nimport { app } from 'electron'\nit('runs', () => app.quit())\n" },
  // renderer
  { name: 'renderer imports the emulator', file: F.renderer, rule: 'no-restricted-imports', message: MSG.rendererEmulator,
    code: "import { startEmulator } from '../../../../emulator/index'\nexport const s = startEmulator\n" },
  { name: 'renderer imports core', file: F.renderer, rule: 'no-restricted-imports', message: MSG.rendererCore,
    code: "import { createCoreHost } from '../../../core/host'\nexport const h = createCoreHost\n" },
  { name: 'a renderer component imports core', file: F.rendererSvelte, rule: 'no-restricted-imports', message: MSG.rendererCore,
    code: "<script lang=\"ts\">\n  import { accounts } from '../../../core/secrets'\n  const name = accounts.instanceAdmin('x')\n</script>\n\n<p>{name}</p>\n" },
  { name: 'renderer imports electron', file: F.renderer, rule: 'no-restricted-imports', message: MSG.rendererElectron,
    code: "import { ipcRenderer } from 'electron'\nexport const i = ipcRenderer\n" },
  { name: 'renderer imports a node built-in', file: F.renderer, rule: 'no-restricted-imports', message: MSG.rendererNode,
    code: "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n" },
  { name: 'renderer uses process', file: F.renderer, rule: 'no-restricted-globals', message: MSG.rendererNodeGlobal,
    code: "export const dev = () => process.env.NODE_ENV === 'development'\n" },
  { name: 'renderer reaches process through window', file: F.renderer, rule: 'no-restricted-globals', message: MSG.rendererNodeGlobal,
    code: "export const hasNode = () => typeof window.process !== 'undefined'\n" },
  // main
  { name: 'main imports the renderer', file: F.main, rule: 'no-restricted-imports', message: MSG.mainRenderer,
    code: "import { formatDate } from '../renderer/src/lib/format'\nexport const f = formatDate\n" },
  { name: 'main escapes ../../renderer from a subfolder', file: F.mainSecurity, rule: 'no-restricted-imports', message: MSG.mainRenderer,
    code: "import App from '../../renderer/src/App.svelte'\nexport const a = App\n" },
  { name: 'main imports preload internals', file: F.main, rule: 'no-restricted-imports', message: MSG.mainPreload,
    code: "import { createInvoke } from '../preload/bridge'\nexport const c = createInvoke\n" },
  // preload
  { name: 'preload imports core', file: F.preload, rule: 'no-restricted-imports', message: MSG.preloadCore,
    code: "import { createCoreHost } from '../core/host'\nexport const h = createCoreHost\n" },
  { name: 'preload takes shell from electron', file: F.preload, rule: 'no-restricted-imports', message: MSG.preloadElectronNames,
    code: "import { shell } from 'electron'\nexport const s = shell\n" },
  { name: 'preload requires electron', file: F.preload, rule: 'no-restricted-syntax', message: MSG.preloadElectronOther,
    code: "const { ipcRenderer } = require('electron')\nexport const i = ipcRenderer\n" },
  // shared
  { name: 'shared uses window', file: F.shared, rule: 'no-restricted-globals', message: MSG.sharedDom,
    code: 'export const width = (): number => window.innerWidth\n' },
  { name: 'shared uses document', file: F.shared, rule: 'no-restricted-globals', message: MSG.sharedDom,
    code: 'export const title = (): string => document.title\n' },
  { name: 'shared uses process', file: F.shared, rule: 'no-restricted-globals', message: MSG.sharedNodeGlobal,
    code: "export const dev = (): boolean => process.env.NODE_ENV === 'development'\n" },
  { name: 'shared reaches process through globalThis', file: F.shared, rule: 'no-restricted-globals', message: MSG.sharedNodeGlobal,
    code: 'export const env = () => globalThis.process\n' },
  { name: 'shared imports node:fs', file: F.shared, rule: 'no-restricted-imports', message: MSG.sharedNode,
    code: "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n" },
  { name: 'shared imports a bare built-in subpath', file: F.shared, rule: 'no-restricted-imports', message: MSG.sharedNode,
    code: "import { readFile } from 'fs/promises'\nexport const r = readFile\n" },
  { name: 'shared reads import.meta', file: F.shared, rule: 'no-restricted-syntax', message: MSG.sharedImportMeta,
    code: 'export const url = (): string => import.meta.url\n' },
  { name: 'shared imports core', file: F.shared, rule: 'no-restricted-imports', message: MSG.sharedCore,
    code: "import { createCoreHost } from '../core/host'\nexport const h = createCoreHost\n" },
  // cli (no file exists yet: the rule is there for the first one)
  { name: 'cli imports electron', file: F.cli, rule: 'no-restricted-imports', message: MSG.cliElectron,
    code: "import { app } from 'electron'\nexport const a = app\n" },
  { name: 'cli requires electron', file: F.cli, rule: 'no-restricted-syntax', message: MSG.cliElectron,
    code: "export const electron = require('electron')\n" },
  { name: 'cli imports main', file: F.cli, rule: 'no-restricted-imports', message: MSG.cliMain,
    code: "import { registerIpc } from '../main/ipc'\nexport const r = registerIpc\n" },
  // emulator
  { name: 'emulator imports src', file: F.emulator, rule: 'no-restricted-imports', message: MSG.emulatorSrc,
    code: "import { keyStatus } from '../src/shared/status'\nexport const k = keyStatus\n" },
  { name: 'emulator requires src', file: F.emulator, rule: 'no-restricted-syntax', message: MSG.emulatorSrc,
    code: "export const contract = require('../src/shared/contract')\n" }
]

interface Clean {
  name: string
  file: string
  code: string
}

// What each folder legitimately does: none of it may trip a boundary rule.
const clean: Clean[] = [
  { name: 'shared: zod, its own modules, pure helpers', file: F.shared, code: [
    "import { z } from 'zod'",
    "import type { KeyMeta } from './domain'",
    "export const idSchema = z.string().uuid()",
    'export const label = (key: KeyMeta, now: Date): string => `${key.name} @ ${now.toISOString()}`',
    "export const host = (raw: string): string => new URL(raw).host",
    ''
  ].join('\n') },
  { name: 'core: node, native modules, shared, its ports', file: F.coreSync, code: [
    "import { readFileSync } from 'node:fs'",
    "import { join } from 'node:path'",
    "import { createRequire } from 'node:module'",
    "import Database from 'better-sqlite3'",
    "import type * as Keytar from 'keytar'",
    "import pLimit from 'p-limit'",
    "import type { KeyMeta } from '../../shared/domain'",
    "import type { Clipboard } from '../ports'",
    "import { openCache } from '../cache'",
    'const load = createRequire(__filename)',
    "export const keytar = (): typeof Keytar => load('keytar') as typeof Keytar",
    "export const worker = () => import('node:worker_threads')",
    "export const all = { readFileSync, join, Database, pLimit, openCache, main: join(__dirname, 'main') }",
    'export type Pair = [KeyMeta, Clipboard]',
    ''
  ].join('\n') },
  { name: 'core test: vitest, test helpers, test/support, e2e fakes', file: F.coreTest, code: [
    "import { expect, it } from 'vitest'",
    "import { tempDir } from '../cache/test-helpers'",
    "import { createCoreFixture } from '../../../test/support/core-fixture'",
    "import { InMemoryClipboard } from '../../../e2e/harness/fakes'",
    "it('has helpers', () => expect([tempDir, createCoreFixture, InMemoryClipboard]).toHaveLength(3))",
    ''
  ].join('\n') },
  { name: 'main: electron, core, shared, paths to the built preload and renderer', file: F.main, code: [
    "import { join } from 'node:path'",
    "import { app, BrowserWindow, clipboard } from 'electron'",
    "import { createCoreHost } from '../core/host'",
    "import type { Clipboard } from '../core/ports'",
    "import { OPERATION_NAMES } from '../shared/contract'",
    "const preload = join(__dirname, '../preload/index.js')",
    "const page = join(__dirname, '../renderer/index.html')",
    'export const all = { app, BrowserWindow, clipboard, createCoreHost, OPERATION_NAMES, preload, page }',
    'export type C = Clipboard',
    ''
  ].join('\n') },
  { name: 'preload: contextBridge and ipcRenderer, types, shared, its own files', file: F.preload, code: [
    "import { contextBridge, ipcRenderer } from 'electron'",
    "import type { IpcRendererEvent } from 'electron'",
    "import { buildApi } from '../shared/contract'",
    "import { createInvoke, createSubscribe } from './bridge'",
    "contextBridge.exposeInMainWorld('api', buildApi(createInvoke(ipcRenderer), createSubscribe(ipcRenderer)))",
    'export type E = IpcRendererEvent',
    ''
  ].join('\n') },
  { name: 'renderer: shared, svelte, npm UI libraries, the DOM and window.api', file: F.renderer, code: [
    "import type { KeyRow } from '../../../shared/contract'",
    "import { keyStatus } from '../../../shared/status'",
    "import { SvelteMap } from 'svelte/reactivity'",
    "import { formatDistance } from 'date-fns'",
    "import { computePosition } from '@floating-ui/core'",
    "import { refOf } from './refs'",
    'export const rows = new SvelteMap<string, KeyRow>()',
    "export const all = { keyStatus, formatDistance, computePosition, refOf, api: window.api, title: document.title, saved: localStorage.getItem('x') }",
    ''
  ].join('\n') },
  { name: 'renderer component: shared and window.api', file: F.rendererSvelte, code: [
    '<script lang="ts">',
    "  import type { KeyRow } from '../../../shared/contract'",
    "  import { formatDate } from '../lib/format'",
    '  let { row }: { row: KeyRow } = $props()',
    '  let copied = $state(false)',
    '  async function copy(): Promise<void> {',
    '    await window.api.keys.copy({ instanceId: row.instanceId, tenantId: row.tenantId, keyId: row.id })',
    '    copied = true',
    '  }',
    '</script>',
    '',
    '<button onclick={copy}>{copied ? "Copied" : formatDate(row.createdAt)}</button>',
    ''
  ].join('\n') },
  { name: 'cli: core, shared, node and npm CLI libraries', file: F.cli, code: [
    "import { parseArgs } from 'node:util'",
    "import { Command } from 'commander'",
    "import { Args } from '@oclif/core'",
    "import { createCoreHost } from '../core/host'",
    "import { createKeytarStore } from '../core/secrets'",
    "import { OPERATION_NAMES } from '../shared/contract'",
    'export const all = { parseArgs, Command, Args, createCoreHost, createKeytarStore, OPERATION_NAMES, argv: process.argv }',
    ''
  ].join('\n') },
  { name: 'emulator: node and its own modules', file: F.emulator, code: [
    "import { createServer } from 'node:http'",
    "import { randomUUID } from 'node:crypto'",
    "import { createStore } from './store'",
    "import { arr } from './test-helpers'",
    'export const all = { createServer, randomUUID, createStore, arr }',
    ''
  ].join('\n') }
]

let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot })
})

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const filePath = resolve(repoRoot, file)
  // A virtual path that ESLint ignored would prove nothing.
  expect(await eslint.isPathIgnored(filePath), `${file} is ignored by eslint.config.js`).toBe(false)
  const results = await eslint.lintText(code, { filePath, warnIgnored: true })
  expect(results).toHaveLength(1)
  const messages = results[0]!.messages
  expect(messages.filter((m) => m.fatal), `${file} did not parse`).toEqual([])
  return messages
}

const boundaryMessages = (messages: Linter.LintMessage[]) =>
  messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.includes(m.ruleId)).map((m) => ({ rule: m.ruleId, message: m.message }))

describe('each boundary rule fires on a deliberately broken snippet', () => {
  it.each(broken)('$name', async ({ file, code, rule, message }) => {
    const found = boundaryMessages(await lint(file, code))
    // Exactly one boundary report: the expected rule, ending with the expected advice.
    expect(found).toHaveLength(1)
    expect(found[0]!.rule).toBe(rule)
    expect(found[0]!.message.endsWith(message), `got: ${found[0]!.message}`).toBe(true)
  })
})

describe('a clean snippet per folder raises no boundary error', () => {
  it.each(clean)('$name', async ({ file, code }) => {
    expect(boundaryMessages(await lint(file, code))).toEqual([])
  })
})

describe('the rules cover every folder', () => {
  it.each(Object.entries(F))('%s (%s) has the boundary rules switched on', async (_key, file) => {
    const config = (await eslint.calculateConfigForFile(resolve(repoRoot, file))) as Linter.Config
    for (const rule of ['no-restricted-imports', 'no-restricted-syntax']) {
      const entry = config.rules?.[rule]
      expect(Array.isArray(entry) ? entry[0] : entry, `${rule} in ${file}`).toBe(2)
    }
  })
})
