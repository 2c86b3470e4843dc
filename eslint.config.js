// Process boundaries are enforced here, not by memory (see ARCHITECTURE.md, "Boundaries enforced by
// lint"; test/lint/boundaries.test.ts proves every rule with a deliberately broken snippet).
const { builtinModules } = require('node:module')
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')
const svelte = require('eslint-plugin-svelte')
const globals = require('globals')

// ---------------------------------------------------------------------------------------------
// What a module specifier may point at. Each is a regex source (plain `/`), matched
// case-insensitively against the import string by no-restricted-imports and, through esquery, by
// the no-restricted-syntax selectors that catch require(), import(), createRequire()(),
// import.meta.resolve() and `import('x')` types.

const alt = (names) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')

/**
 * A folder of this repo: a relative path that climbs out of the current folder (`../core`,
 * `../../renderer/src/x`, `./lib/../../../core`), an absolute path, or an alias (`@/core`,
 * `@core`, `~/core`, `#core`, `src/core`). `./core` (a sibling inside the same folder) and scoped
 * packages such as `@floating-ui/core` do not match.
 */
const folder = (name) =>
  `^(?:(?=\\.{1,2}/)(?:[^/]+/)*?\\.\\./(?:[^/]+/)*|/(?:[^/]+/)*|[@#~]/?|src/)(?:${name})(?:/|$)`

const MODULES = {
  // electron itself, its subpaths, @electron/* (remote!) and electron-* packages (electron-log,
  // electron-store...), which all need the Electron runtime.
  electron: '^(?:electron(?:/.*)?|@electron/.*|electron-[^/]+(?:/.*)?)$',
  node: `^(?:node:.+|(?:${alt([...new Set(builtinModules.map((m) => m.split('/')[0]))])})(?:/.*)?)$`,
  native: '^(?:keytar|better-sqlite3)(?:/.*)?$',
  shared: folder('shared'),
  core: folder('core'),
  main: folder('main'),
  preload: folder('preload'),
  renderer: folder('renderer'),
  cli: folder('cli'),
  emulator: folder('emulator'),
  e2e: folder('e2e'),
  test: folder('test'),
  bench: folder('bench'),
  // From emulator/: anything under src/ (relative, absolute, bare `src/...`) or a layer alias.
  src: `^(?:(?:\\.{1,2}/|/)(?:[^/]+/)*)?src(?:/|$)|^[@#~]/?(?:shared|core|main|preload|renderer|cli)(?:/|$)`,
  // Test code by name wherever it sits (a test-helpers or fixtures module, a *.test/*.spec file)
  // and the test frameworks.
  testCode: '(?:^|/)(?:test-helpers?|test-utils?|fixtures?)(?:\\.[cm]?[jt]sx?)?(?:/|$)|\\.(?:test|spec)(?:\\.[cm]?[jt]sx?)?$|^(?:vitest|@vitest/.+|@playwright/test|playwright|@axe-core/.+)(?:/.*)?$'
}

// esquery has no `/` in its regex literals: escape it.
const sel = (source) => `/${source.replace(/\//g, '\\/')}/i`

/**
 * Selectors for the ways to load a module other than `import ... from`: `import('x')`, the type
 * `import('x').T`, and the loader calls require('x'), module.require('x'), require.resolve('x'),
 * createRequire(...)('x'), import.meta.resolve('x') / import.meta.glob('x').
 * With `anyCall` (module names that are never anything else: electron, the native modules), any
 * call or `new` given the name as first argument counts, which also catches a renamed require
 * (`const load = createRequire(__filename); load('electron')`). Paths are not treated that way,
 * since main legitimately joins paths to the built preload and renderer.
 */
function loaderSelectors(source, { anyCall }) {
  const re = sel(source)
  return [
    `ImportExpression[source.value=${re}]`,
    `TSImportType[argument.literal.value=${re}]`,
    anyCall
      ? `:matches(CallExpression, NewExpression)[arguments.0.value=${re}]`
      : `CallExpression:matches([callee.name='require'], [callee.property.name='require'], [callee.object.name='require'], [callee.object.type='MetaProperty'], [callee.callee.name='createRequire'])[arguments.0.value=${re}]`
  ]
}
const ANY_CALL = ['electron', 'native']

// A specifier that is not a string literal cannot be checked: it is refused in src/.
const COMPUTED_SPECIFIER = [
  `ImportExpression[source.type!='Literal']`,
  `CallExpression[callee.name='require'][arguments.0.type!='Literal']`,
  `CallExpression[callee.callee.name='createRequire'][arguments.0.type!='Literal']`
].map((selector) => ({
  selector,
  message: 'Module specifiers in src/ must be string literals, so lint can check the layer boundaries.'
}))

// ---------------------------------------------------------------------------------------------
// Globals. src/shared runs in every process, so neither DOM nor Node globals; the sandboxed
// renderer has no Node globals.

const onlyIn = (a, b) => Object.keys(a).filter((n) => !(n in globals.builtin) && !(n in b))
// Named first (navigator and localStorage exist in recent Node too), then every other global that
// only one of the two environments has.
const DOM_NAMED = ['window', 'self', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage',
  'indexedDB', 'HTMLElement', 'Element']
const NODE_NAMED = ['process', 'Buffer', 'require', 'module', 'exports', '__dirname', '__filename', 'global']
const DOM_GLOBALS = [...new Set([...DOM_NAMED, ...onlyIn(globals.browser, globals.node)])]
const NODE_GLOBALS = [...new Set([...NODE_NAMED, ...onlyIn(globals.node, globals.browser)])]

const restrictGlobals = (names, message) => names.map((name) => ({ name, message }))

// ---------------------------------------------------------------------------------------------
// The layers. `forbid` maps a MODULES key to the message shown when it is imported.

const tools = (layer) => (what) => `${layer} must not import ${what}/: tests and tools import the app, never the reverse.`

const coreTools = tools('core')
const mainTools = tools('main')
const preloadTools = tools('preload')
const rendererTools = tools('renderer')
const sharedTools = tools('src/shared')
const cliTools = tools('cli')

const LAYERS = [
  {
    name: 'shared',
    files: ['src/shared/**'],
    forbid: {
      electron: 'src/shared must not import electron: it runs in every process; shell code belongs in src/main or src/preload.',
      node: 'src/shared must not import node built-ins: it also runs in the renderer; take the data as an argument.',
      native: 'src/shared must not import native modules: keytar and SQLite belong in src/core.',
      core: 'src/shared must not import src/core: shared is the bottom layer; move what both sides need into src/shared.',
      main: 'src/shared must not import src/main: shared is the bottom layer; move what both sides need into src/shared.',
      preload: 'src/shared must not import src/preload: shared is the bottom layer; move what both sides need into src/shared.',
      renderer: 'src/shared must not import src/renderer: shared is the bottom layer; move what both sides need into src/shared.',
      cli: 'src/shared must not import src/cli: shared is the bottom layer; move what both sides need into src/shared.',
      emulator: sharedTools('emulator'), e2e: sharedTools('e2e'), test: sharedTools('test'), bench: sharedTools('bench')
    },
    globals: [
      ...restrictGlobals(DOM_GLOBALS, 'src/shared is pure: no DOM globals; take what you need as an argument.'),
      ...restrictGlobals(NODE_GLOBALS, 'src/shared is pure: no Node globals; take what you need as an argument.')
    ],
    syntax: [
      { selector: 'MetaProperty[meta.name="import"]', message: 'src/shared must not read import.meta: it depends on the bundler and process; take the value as an argument.' }
    ]
  },
  {
    name: 'core',
    files: ['src/core/**'],
    forbid: {
      electron: 'core must not import electron: take what you need through a port in src/core/ports.ts.',
      main: 'core must not import src/main: the shells compose core, never the reverse; add a port in src/core/ports.ts.',
      preload: 'core must not import src/preload: the shells compose core, never the reverse; add a port in src/core/ports.ts.',
      renderer: 'core must not import src/renderer: the UI reaches core through window.api, never the reverse.',
      cli: 'core must not import src/cli: the shells compose core, never the reverse; add a port in src/core/ports.ts.',
      emulator: coreTools('emulator'), e2e: coreTools('e2e'), test: coreTools('test'), bench: coreTools('bench')
    }
  },
  {
    name: 'main',
    files: ['src/main/**'],
    forbid: {
      renderer: 'main must not import the renderer: send data through the IPC contract in src/shared/contract.ts.',
      preload: 'main must not import preload code: it loads the built preload by path; share code through src/shared.',
      cli: 'main must not import src/cli: both are shells on src/core; share code through core.',
      emulator: mainTools('emulator'), e2e: mainTools('e2e'), test: mainTools('test'), bench: mainTools('bench')
    }
  },
  {
    name: 'preload',
    files: ['src/preload/**'],
    forbid: {
      electron: "preload takes only { contextBridge, ipcRenderer } from 'electron', by a static import; the rest belongs in main behind the IPC contract.",
      node: 'preload must not import node built-ins: it is sandboxed; do the work in main behind the IPC contract.',
      native: 'preload must not import native modules: it is sandboxed; do the work in core behind the IPC contract.',
      core: 'preload must not import src/core: it only bridges the contract (src/shared) to ipcRenderer.',
      main: 'preload must not import src/main: it only bridges the contract (src/shared) to ipcRenderer.',
      renderer: 'preload must not import src/renderer: it only bridges the contract (src/shared) to ipcRenderer.',
      cli: 'preload must not import src/cli: it only bridges the contract (src/shared) to ipcRenderer.',
      emulator: preloadTools('emulator'), e2e: preloadTools('e2e'), test: preloadTools('test'), bench: preloadTools('bench')
    },
    // `import { contextBridge, ipcRenderer } from 'electron'` is the one electron import allowed
    // (types are erased, so `import type` of anything else is fine).
    paths: [{
      name: 'electron',
      allowImportNames: ['contextBridge', 'ipcRenderer'],
      allowTypeImports: true,
      message: "preload takes only { contextBridge, ipcRenderer } from 'electron'; the rest belongs in main behind the IPC contract."
    }],
    // ...so the electron pattern must not also catch the bare name in static imports.
    staticElectron: '^(?:electron/.*|@electron/.*|electron-[^/]+(?:/.*)?)$'
  },
  {
    name: 'renderer',
    files: ['src/renderer/**'],
    forbid: {
      electron: 'renderer must not import electron: it is sandboxed; call window.api (src/shared/contract.ts).',
      node: 'renderer must not import node built-ins: it is sandboxed; ask the core through window.api.',
      native: 'renderer must not import native modules: it is sandboxed; ask the core through window.api.',
      core: 'renderer must not import src/core: call window.api; types and pure helpers come from src/shared.',
      main: 'renderer must not import src/main: call window.api; types and pure helpers come from src/shared.',
      preload: 'renderer must not import src/preload: use window.api (typed by src/preload/api.d.ts); types come from src/shared.',
      cli: 'renderer must not import src/cli: call window.api; types and pure helpers come from src/shared.',
      emulator: rendererTools('emulator'), e2e: rendererTools('e2e'), test: rendererTools('test'), bench: rendererTools('bench')
    },
    globals: [
      ...restrictGlobals(NODE_GLOBALS, 'The renderer is sandboxed: no Node globals; ask the core through window.api.'),
      ...restrictGlobals(['electron', 'ipcRenderer'], 'The renderer talks only to window.api: no Electron objects on the global object.')
    ]
  },
  {
    // The command-line shell: plain Node on src/core, like main but without Electron.
    name: 'cli',
    files: ['src/cli/**'],
    forbid: {
      electron: 'cli must not import electron: it runs in plain Node on src/core; take what you need through a port in src/core/ports.ts.',
      main: 'cli must not import src/main: it is a shell on src/core like main; share code through core.',
      preload: 'cli must not import src/preload: it is a shell on src/core like main; share code through core.',
      renderer: 'cli must not import src/renderer: it is a shell on src/core like main; share code through core or src/shared.',
      emulator: cliTools('emulator'), e2e: cliTools('e2e'), test: cliTools('test'), bench: cliTools('bench')
    }
  }
]

const TEST_FILES = ['**/*.test.ts', '**/*.test.mts', '**/*.test.cts']
// Tests inside src/ may use the test infrastructure; everything else stays forbidden.
const TEST_INFRA = ['test', 'e2e']
const EMULATOR_MESSAGE = 'emulator must not import src/: it must behave like the real server, not like our client; copy what it needs.'
const PRODUCTION_IMPORTS_TESTS = 'Production code must not import test code: move the helper into test/support, or the import into a *.test.ts.'

function layerRules(layer, { production }) {
  const forbid = Object.entries(layer.forbid).filter(([key]) => production || !TEST_INFRA.includes(key))
  if (production) forbid.push(['testCode', PRODUCTION_IMPORTS_TESTS])
  const importPattern = ([key, message]) => ({
    regex: key === 'electron' && layer.staticElectron ? layer.staticElectron : MODULES[key],
    message
  })
  const syntax = forbid.flatMap(([key, message]) =>
    loaderSelectors(MODULES[key], { anyCall: ANY_CALL.includes(key) }).map((selector) => ({ selector, message })))
  return {
    'no-restricted-imports': ['error', { ...(layer.paths ? { paths: layer.paths } : {}), patterns: forbid.map(importPattern) }],
    'no-restricted-syntax': ['error', ...syntax, ...COMPUTED_SPECIFIER, ...(layer.syntax ?? [])],
    // checkGlobalObject: `globalThis.process`, `window['require']`, `self.document` count too.
    // References in type positions are not reported (types are erased; tsc checks those).
    'no-restricted-globals': ['error', { globals: layer.globals ?? [], checkGlobalObject: true }]
  }
}

// Each file gets exactly one of these objects per rule (a later object replaces an earlier one's
// options, it does not merge them): the layer's rules, then for non-test files the same plus
// "no test code".
const layerConfigs = LAYERS.flatMap((layer) => [
  { name: `boundaries/${layer.name}`, files: layer.files, rules: layerRules(layer, { production: false }) },
  { name: `boundaries/${layer.name}/production`, files: layer.files, ignores: TEST_FILES, rules: layerRules(layer, { production: true }) }
])

module.exports = tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'bench/.build/**', '.exp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off'
    }
  },
  {
    files: ['src/renderer/**/*.svelte', 'src/renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } }
  },
  {
    files: ['src/renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } }
  },
  ...layerConfigs,
  {
    name: 'boundaries/emulator',
    files: ['emulator/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: MODULES.src, message: EMULATOR_MESSAGE }] }],
      'no-restricted-syntax': ['error', ...loaderSelectors(MODULES.src, { anyCall: false }).map((selector) => ({ selector, message: EMULATOR_MESSAGE }))]
    }
  }
)
