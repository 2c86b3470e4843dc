// Static audit of every window the main process can create and every webPreferences it writes,
// with the TypeScript compiler API (syntax tree + type checker, not regexes), for
// web-preferences.test.ts. electronegativity does not flag `nodeIntegration: true`, so this is
// where that, and the other webPreferences switches, are held to one policy.
//
// What counts as a window: `new X(...)` where X resolves (through import aliases, namespace imports
// and subclasses) to Electron's BrowserWindow, BrowserView or WebContentsView; a name that does not
// resolve counts when it is spelt like one of those. Its options must be an inline object literal
// with an inline `webPreferences` object literal: anything computed could hide a setting, so it is
// refused rather than guessed at. Every other `webPreferences: {...}` (e.g. a window.open override)
// and every object literal typed as Electron's WebPreferences is held to the same rules.
//
// The policy (values must be the literals true / false; an expression is refused):
// - sandbox and contextIsolation: present and true. They are the two walls between the page and
//   Node, their defaults have changed across Electron versions and depend on other options (a
//   preload or nodeIntegration turns the sandbox default off), so they are never left to defaults.
// - nodeIntegration, nodeIntegrationInWorker, nodeIntegrationInSubFrames, webviewTag,
//   allowRunningInsecureContent, experimentalFeatures: absent or false. All default to false
//   (nodeIntegration since Electron 5, webviewTag since 5), so absent is secure; true never is.
// - webSecurity: absent or true (it defaults to true).
// - enableBlinkFeatures: absent (it switches on Blink features outside the reviewed set).
// - no spread (...) and no computed keys inside webPreferences: they could override anything.
import ts from 'typescript'
import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

export const REPO_ROOT = join(__dirname, '../..')

const WINDOW_CLASSES = new Set(['BrowserWindow', 'BrowserView', 'WebContentsView'])
const MUST_BE_TRUE = ['sandbox', 'contextIsolation']
const MUST_NOT_BE_TRUE = ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag', 'allowRunningInsecureContent', 'experimentalFeatures']
const MUST_NOT_BE_FALSE = ['webSecurity']
const FORBIDDEN = ['enableBlinkFeatures']

export interface Site { file: string; line: number; text: string }
export interface Violation extends Site { message: string }
export interface Audit {
  /** Every window construction found. */
  windows: Site[]
  /** Every webPreferences object literal checked. */
  webPreferences: Site[]
  violations: Violation[]
}

/** The non-test TypeScript files under a repo folder (src/main). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  lib: ['lib.es2023.d.ts']
}

/**
 * Audits `files` (absolute paths) plus `virtualFiles` (absolute path -> source text, never written
 * to disk; used by the canaries). Every source file of the program under REPO_ROOT/src is audited,
 * and each virtual file.
 */
export function auditWebPreferences(files: string[], virtualFiles: Record<string, string> = {}): Audit {
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true)
  const virtual = new Map(Object.entries(virtualFiles).map(([path, text]) => [ts.sys.resolvePath(path), text]))
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (path) => virtual.has(path) || fileExists.call(host, path)
  host.readFile = (path) => virtual.get(path) ?? readFile.call(host, path)
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path)
    return text !== undefined ? ts.createSourceFile(path, text, languageVersion, true) : getSourceFile.call(host, path, languageVersion, onError, shouldCreate)
  }
  const program = ts.createProgram([...files, ...virtual.keys()], COMPILER_OPTIONS, host)
  const checker = program.getTypeChecker()
  const audited = join(REPO_ROOT, 'src') + sep

  const audit: Audit = { windows: [], webPreferences: [], violations: [] }
  const checked = new Set<ts.Node>()

  for (const sourceFile of program.getSourceFiles()) {
    const path = sourceFile.fileName.split('/').join(sep)
    if (sourceFile.isDeclarationFile || (!path.startsWith(audited) && !virtual.has(sourceFile.fileName))) continue
    const site = (node: ts.Node): Site => ({
      file: relative(REPO_ROOT, sourceFile.fileName).split(sep).join('/'),
      line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
      text: node.getText(sourceFile).split('\n')[0]!.trim()
    })
    const violation = (node: ts.Node, message: string): void => void audit.violations.push({ ...site(node), message })

    const checkWebPreferences = (prefs: ts.ObjectLiteralExpression): void => {
      if (checked.has(prefs)) return
      checked.add(prefs)
      audit.webPreferences.push(site(prefs))
      const values = new Map<string, ts.Expression[]>()
      for (const property of prefs.properties) {
        if (ts.isSpreadAssignment(property)) { violation(property, 'no spread in webPreferences: it could override any setting'); continue }
        const name = property.name && propertyName(property.name)
        if (name === undefined) { violation(property, 'no computed keys in webPreferences'); continue }
        if (ts.isPropertyAssignment(property)) values.set(name, [...(values.get(name) ?? []), property.initializer])
        else if (ts.isShorthandPropertyAssignment(property)) values.set(name, [...(values.get(name) ?? []), property.name])
        else if ([...MUST_BE_TRUE, ...MUST_NOT_BE_TRUE, ...MUST_NOT_BE_FALSE, ...FORBIDDEN].includes(name)) violation(property, `${name} must be a plain property`)
      }
      for (const key of MUST_BE_TRUE) {
        const given = values.get(key)
        if (!given) violation(prefs, `webPreferences must set ${key}: true explicitly`)
        for (const value of given ?? []) if (literal(value) !== true) violation(value, `${key} must be the literal true, not ${value.getText(sourceFile)}`)
      }
      for (const key of MUST_NOT_BE_TRUE) {
        for (const value of values.get(key) ?? []) if (literal(value) !== false) violation(value, `${key} must be absent or the literal false, not ${value.getText(sourceFile)}`)
      }
      for (const key of MUST_NOT_BE_FALSE) {
        for (const value of values.get(key) ?? []) if (literal(value) !== true) violation(value, `${key} must be absent or the literal true, not ${value.getText(sourceFile)}`)
      }
      for (const key of FORBIDDEN) if (values.has(key)) violation(values.get(key)![0]!, `${key} is not allowed`)
    }

    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && isElectronWindow(node, checker)) {
        audit.windows.push(site(node))
        const options = node.arguments?.[0]
        if (!options) violation(node, 'a window needs options with webPreferences (sandbox and contextIsolation are set explicitly)')
        else if (!ts.isObjectLiteralExpression(options)) violation(options, 'window options must be an inline object literal, so their webPreferences can be checked')
        else {
          const prefs = options.properties.filter((p) => p.name !== undefined && propertyName(p.name) === 'webPreferences')
          if (prefs.length === 0) violation(options, 'window options need webPreferences (sandbox and contextIsolation are set explicitly)')
          if (options.properties.some(ts.isSpreadAssignment)) violation(options, 'no spread in window options: it could carry webPreferences')
        }
      }
      // Every `webPreferences` property anywhere: it must be an inline literal, checked below.
      if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && propertyName(node.name) === 'webPreferences') {
        const value = ts.isPropertyAssignment(node) ? skipParens(node.initializer) : node.name
        if (ts.isObjectLiteralExpression(value)) checkWebPreferences(value)
        else violation(node, 'webPreferences must be an inline object literal, so it can be checked')
      }
      // Any other object literal typed as Electron's WebPreferences (a variable, a return value).
      if (ts.isObjectLiteralExpression(node) && isElectronType(checker.getContextualType(node), 'WebPreferences')) checkWebPreferences(node)
      ts.forEachChild(node, visit)
    }
    visit(sourceFile)
  }
  return audit
}

function skipParens(node: ts.Expression): ts.Expression {
  let inner = node
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) inner = inner.expression
  return inner
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isNumericLiteral(name)) return name.text
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text
  return undefined
}

function literal(value: ts.Expression): boolean | undefined {
  const inner = skipParens(value)
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return true
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return false
  return undefined
}

function declaredByElectron(symbol: ts.Symbol | undefined): boolean {
  return (symbol?.declarations ?? []).some((d) => /[\\/]node_modules[\\/]electron[\\/]electron\.d\.ts$/.test(d.getSourceFile().fileName))
}

function isElectronType(type: ts.Type | undefined, name: string): boolean {
  if (!type) return false
  if (type.isUnion()) return type.types.some((t) => isElectronType(t, name))
  const symbol = type.getSymbol() ?? type.aliasSymbol
  return symbol?.getName() === name && declaredByElectron(symbol)
}

/** `new X(...)` where X is Electron's BrowserWindow/BrowserView/WebContentsView, a subclass, or an unresolved name spelt like one. */
function isElectronWindow(node: ts.NewExpression, checker: ts.TypeChecker): boolean {
  const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression
  let symbol = checker.getSymbolAtLocation(callee)
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  if (!symbol || !symbol.declarations?.length) return ts.isIdentifier(callee) && WINDOW_CLASSES.has(callee.text)
  const seen = new Set<ts.Type>()
  const isWindowClass = (type: ts.Type): boolean => {
    if (seen.has(type)) return false
    seen.add(type)
    const s = type.getSymbol()
    if (s && WINDOW_CLASSES.has(s.getName()) && declaredByElectron(s)) return true
    return type.isClassOrInterface() && checker.getBaseTypes(type).some(isWindowClass)
  }
  return isWindowClass(checker.getTypeAtLocation(node))
}
