// The electronegativity gate, shared by electronegativity.test.ts (the real tree) and
// electronegativity-canary.test.ts (a copy with a planted insecure window): copy the scanned
// sources into one tree, run the pinned tool on it, and sort its findings into those that a
// reviewed exception in security/electronegativity-exceptions.json justifies and those it does not.
//
// How the findings are read, and why not from a report file: the tool's report writer,
// writeIssues in dist/util/file.js (1.10.3), calls writeCsvHeader(filename) (line 155), which starts
// fs.writeFile(filename, header) with flag 'w' and does not wait for it (line 175), then at once
// starts fs.writeFile(filename, body, { flag: 'a' }) (line 163). Both run concurrently on the
// libuv pool. If the body's open(O_APPEND)+write lands between the header's open(O_TRUNC) and its
// write, the body is appended to the empty file at offset 0 and the header's write (fs.writeFile
// writes at the fd's position, 0) then overwrites the body's first ~75 bytes: "issue, ..., url\n"
// followed by the middle of the first row (" 'self'; script-src ..."). If the body is written before
// the header's open, the truncation erases it and the report shows no findings at all. (Replaying
// writeIssues 300 times on an idle machine gave 25 garbled files.) So the gate asks for no report.
// It calls the tool's programmatic entry (package "main": dist/runner.js, `run(options)`) in a child
// process. That async function awaits every stage (loader.load, line 64; each finder.find, line
// 195; globalChecker.getResults, line 256), calls writeIssues only `if (options.output)` (line 296),
// and otherwise resolves with { issues, errors, globalChecks, atomicChecks } (line 304). The child
// writes that value with fs.writeFileSync (complete when it returns), then exits; the parent reads
// it only after the child has exited. No step of that chain overlaps another.
// Why a child process, not an import: the tool registers a global `__` (i18n), prints to the
// console, and calls process.exit on some errors; a child keeps all of that out of the Vitest
// worker, and gets a TMPDIR of its own, inside the folder the gate removes.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export const REPO_ROOT = join(__dirname, '../..')
export const ELECTRON_VERSION = '45.5.0'
/** The version whose dist code the reasoning above was checked against. A new version: re-read it. */
export const TOOL_VERSION = '1.10.3'
const TOOL_DIR = join(REPO_ROOT, 'node_modules/@doyensec/electronegativity')
/** What is scanned: the shell's sources (the bundled renderer fails to parse harmlessly; sources are the point). */
export const SCANNED = ['src/main', 'src/preload', 'src/renderer/index.html']
/**
 * AvailableSecurityFixesGlobalCheck is the one check left out. It only turns ELECTRON_VERSION_JSON_CHECK
 * findings (from a package.json) into findings, and no package.json is scanned, so it can find
 * nothing here; what it does do is fetch Electron's release list from GitHub without a timeout
 * and write releases.<etag>.json into the OS temporary folder. Excluding it keeps the gate off
 * the network and out of /tmp. Exclusion takes the check's class name (the tool lowercases it).
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']
const TOOL_TIMEOUT_MS = 240_000

export interface Finding {
  check: string
  severity: string
  confidence: string
  /** Relative to the scanned tree, which mirrors the repo: src/main/window.ts. */
  file: string
  line: number
  column: number
  sample: string
  description: string
}
export interface Exception { check: string; file: string; sample?: string; reason: string; reviewed: string }
/** A file the tool could not analyse: its findings would be missing, so the gate fails on these. */
export interface AnalysisError { file: string; message: string; tolerable: boolean }

export interface ToolResult { findings: Finding[]; errors: AnalysisError[]; globalChecks: number; atomicChecks: number }
export interface GateResult extends ToolResult {
  /** Findings no reviewed exception covers: each one fails the gate. */
  unjustified: Finding[]
  /** Exceptions that match no finding any more: each one fails the gate too. */
  stale: Exception[]
}

/**
 * Runs in the child (CommonJS, `node -e`). argv: runner path, input dir, Electron version, result
 * path, JSON list of excluded checks. `run(options, false)` resolves only after the whole scan, and
 * with no `output` option it writes no report (see the header comment).
 */
const CHILD = `
const fs = require('fs')
const [runnerPath, input, electronVersion, resultPath, excluded] = process.argv.slice(1)
require(runnerPath)({ input, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: JSON.parse(excluded) }, false)
  .then((r) => {
    const findings = r.issues.map((i) => ({
      check: String(i.id), severity: String(i.severity && i.severity.name), confidence: String(i.confidence && i.confidence.name),
      file: String(i.file), line: Number(i.location && i.location.line), column: Number(i.location && i.location.column),
      sample: i.sample == null ? '' : String(i.sample), description: String(i.description)
    }))
    const errors = r.errors.map((e) => ({ file: String(e.file), message: String(e.message), tolerable: Boolean(e.tolerable) }))
    fs.writeFileSync(resultPath, JSON.stringify({ findings, errors, globalChecks: r.globalChecks, atomicChecks: r.atomicChecks }))
    process.exit(0)
  }, (error) => {
    console.error(error && error.stack ? error.stack : String(error))
    process.exit(1)
  })
`

/** A fresh temporary folder for `body`, removed afterwards whether `body` succeeds or throws. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    return await body(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  }
}

/**
 * Copies the scanned paths into one tree at `scanDir`, so global checks (CSP, permission handler)
 * see them together and reported filenames are repo-relative (src/main/window.ts).
 */
export function copyScannedTree(scanDir: string): void {
  for (const path of SCANNED) {
    mkdirSync(join(scanDir, dirname(path)), { recursive: true })
    cpSync(join(REPO_ROOT, path), join(scanDir, path), { recursive: true })
  }
}

function toolVersion(): string {
  const manifest = join(TOOL_DIR, 'package.json')
  if (!existsSync(manifest)) throw new Error('@doyensec/electronegativity is not installed (npm ci installs the pinned devDependency)')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** Runs the tool on `scanDir` and returns what its run() resolved with. `workDir` holds the result and the child's TMPDIR. */
export async function runElectronegativity(scanDir: string, workDir: string): Promise<ToolResult> {
  const version = toolVersion()
  if (version !== TOOL_VERSION) {
    throw new Error(`electronegativity ${version} installed, the gate was verified against ${TOOL_VERSION}: re-read dist/runner.js and dist/util/file.js, then update TOOL_VERSION`)
  }
  const runner = join(TOOL_DIR, 'dist/runner.js')
  const resultPath = join(workDir, 'electronegativity-result.json')
  const childTmp = join(workDir, 'tmp')
  mkdirSync(childTmp, { recursive: true })
  const args = ['-e', CHILD, runner, scanDir, ELECTRON_VERSION, resultPath, JSON.stringify(EXCLUDED_CHECKS)]
  const env = { ...process.env, TMPDIR: childTmp, TMP: childTmp, TEMP: childTmp, NO_UPDATE_NOTIFIER: '1' }

  // The callback runs after the child has exited and its output streams have closed.
  const run = await new Promise<{ code: number | string | null; output: string }>((resolve) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, env, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code ?? (error.killed ? 'killed (timeout)' : null)) : 0
      resolve({ code, output: `${stdout}${stderr}${error ? `\n${error.message}` : ''}` })
    })
  })
  if (run.code !== 0 || !existsSync(resultPath)) {
    throw new Error(`electronegativity did not complete (exit ${String(run.code)}). Output:\n${run.output}`)
  }
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as ToolResult
  result.findings = result.findings.map((f) => ({ ...f, file: f.file.replace(/\\/g, '/').replace(/^\.?\//, '') }))
  return result
}

/** The reviewed exceptions; throws when one lacks a real reason or a review note. */
export function loadExceptions(): Exception[] {
  const { exceptions } = JSON.parse(readFileSync(join(REPO_ROOT, 'security/electronegativity-exceptions.json'), 'utf8')) as { exceptions: Exception[] }
  for (const e of exceptions) {
    if (!e.check || !e.file) throw new Error(`exception without check or file: ${JSON.stringify(e)}`)
    if ((e.reason?.length ?? 0) <= 40) throw new Error(`exception ${e.check} ${e.file} needs a reason`)
    if (!e.reviewed) throw new Error(`exception ${e.check} ${e.file} needs a review note`)
  }
  return exceptions
}

/** Same check id and file, and the sample contains the exception's sample when it has one. Lines are not matched. */
export function covers(e: Exception, f: Finding): boolean {
  return e.check === f.check && e.file === f.file && (!e.sample || f.sample.includes(e.sample))
}

export function applyExceptions(findings: Finding[], exceptions: Exception[]): { unjustified: Finding[]; stale: Exception[] } {
  return {
    unjustified: findings.filter((f) => !exceptions.some((e) => covers(e, f))),
    stale: exceptions.filter((e) => !findings.some((f) => covers(e, f)))
  }
}

/** The whole gate on an already prepared tree. */
export async function runGate(scanDir: string, workDir: string, exceptions: Exception[] = loadExceptions()): Promise<GateResult> {
  const result = await runElectronegativity(scanDir, workDir)
  return { ...result, ...applyExceptions(result.findings, exceptions) }
}

export function describeFinding(f: Finding): string {
  return `${f.severity}/${f.confidence} ${f.check} at ${f.file}:${f.line}:${f.column}: ${f.sample}\n    ${f.description}`
}
