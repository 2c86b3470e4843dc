// .github/workflows/desktop.yml cannot run here (no Electron binary, no GitHub runner), so it is
// checked as data. GitHub's workflow schema is not installed and no package for it is a
// dependency; WORKFLOW below is a small schema of our own for the parts that matter: the keys
// GitHub accepts at each level (a misspelt key is silently ignored by people, not by GitHub), that
// every job has runs-on and steps, that every step is exactly one of `uses` / `run` and every
// action is pinned to a version; and then what the workflow must do: Linux, macOS and Windows;
// the Electron binary installed before `npm test`; `npm test` under xvfb-run on Linux; installers
// built after the tests and uploaded, failing when none was made.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')
const WORKFLOW_FILE = '.github/workflows/desktop.yml'
// electron-builder's YAML parser (js-yaml 4: YAML 1.2, so `on:` stays the string "on").
const yaml = createRequire(require.resolve('app-builder-lib/package.json'))('js-yaml') as { load(text: string): unknown }

type Json = Record<string, unknown>
interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Json; env?: Json; shell?: string }
interface Job { 'runs-on': string; steps: Step[]; strategy?: { matrix?: { include?: Json[] } }; env?: Json; 'timeout-minutes'?: number }

/** The keys GitHub Actions accepts (docs: "Workflow syntax for GitHub Actions"), per level. */
const WORKFLOW = {
  top: ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'],
  job: ['name', 'permissions', 'needs', 'if', 'runs-on', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'steps', 'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets'],
  step: ['id', 'if', 'name', 'uses', 'run', 'working-directory', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes'],
  events: ['push', 'pull_request', 'workflow_dispatch', 'schedule', 'release', 'workflow_call'],
  shells: ['bash', 'pwsh', 'python', 'sh', 'cmd', 'powershell']
}

/** Problems with `workflow` against WORKFLOW; [] when it conforms. */
function schemaProblems(workflow: unknown): string[] {
  const problems: string[] = []
  const unknownKeys = (where: string, value: Json, allowed: string[]): void => {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${where}: unknown key '${key}'`)
  }
  if (typeof workflow !== 'object' || workflow === null) return ['the workflow is not a mapping']
  const w = workflow as Json
  unknownKeys('workflow', w, WORKFLOW.top)
  const on = w['on']
  if (!on || typeof on !== 'object') problems.push('workflow: `on` must map events')
  else unknownKeys('on', on as Json, WORKFLOW.events)
  const jobs = w['jobs'] as Record<string, Json> | undefined
  if (!jobs || typeof jobs !== 'object' || Object.keys(jobs).length === 0) return [...problems, 'workflow: no jobs']
  for (const [id, job] of Object.entries(jobs)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)) problems.push(`job id '${id}' is not valid`)
    unknownKeys(`jobs.${id}`, job, WORKFLOW.job)
    if (typeof job['runs-on'] !== 'string' || !job['runs-on']) problems.push(`jobs.${id}: runs-on missing`)
    const steps = job['steps']
    if (!Array.isArray(steps) || steps.length === 0) { problems.push(`jobs.${id}: no steps`); continue }
    steps.forEach((step: Json, i) => {
      const where = `jobs.${id}.steps[${i}]${step['name'] ? ` (${String(step['name'])})` : ''}`
      unknownKeys(where, step, WORKFLOW.step)
      if (('uses' in step) === ('run' in step)) problems.push(`${where}: exactly one of uses / run`)
      if ('uses' in step && !/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(String(step['uses']))) problems.push(`${where}: action not pinned to a version: ${String(step['uses'])}`)
      if ('run' in step && (typeof step['run'] !== 'string' || !String(step['run']).trim())) problems.push(`${where}: empty run`)
      if ('shell' in step && !WORKFLOW.shells.includes(String(step['shell']))) problems.push(`${where}: unknown shell ${String(step['shell'])}`)
      if ('with' in step && 'run' in step) problems.push(`${where}: with is for actions`)
    })
  }
  return problems
}

const load = (): Json => yaml.load(readFileSync(join(root, WORKFLOW_FILE), 'utf8')) as Json
const theJob = (w: Json): Job => {
  const jobs = Object.values(w['jobs'] as Record<string, Job>)
  expect(jobs).toHaveLength(1)
  return jobs[0]!
}
const indexOf = (steps: Step[], test: (s: Step) => boolean, what: string): number => {
  const i = steps.findIndex(test)
  expect(i, what).toBeGreaterThanOrEqual(0)
  return i
}

describe(WORKFLOW_FILE, () => {
  it('conforms to the workflow schema (keys, runs-on, steps, uses/run, pinned actions)', () => {
    expect(schemaProblems(load())).toEqual([])
  })

  it('canaries: the schema check catches a misspelt key, a step with both uses and run, an unpinned action, a job without runs-on', () => {
    const w = load()
    const job = theJob(w)
    const variant = (change: (job: Json) => void): Json => {
      const copy = structuredClone(w)
      change(Object.values(copy['jobs'] as Record<string, Json>)[0]!)
      return copy
    }
    expect(schemaProblems(variant((j) => { j['runs_on'] = j['runs-on']; delete j['runs-on'] }))).toEqual(expect.arrayContaining([expect.stringMatching(/unknown key 'runs_on'/), expect.stringMatching(/runs-on missing/)]))
    expect(schemaProblems(variant((j) => { (j['steps'] as Json[])[0]!['run'] = 'echo' }))).toEqual([expect.stringMatching(/exactly one of uses \/ run/)])
    expect(schemaProblems(variant((j) => { (j['steps'] as Json[])[0]!['uses'] = 'actions/checkout@main' }))).toEqual([expect.stringMatching(/not pinned/)])
    expect(schemaProblems(variant((j) => { (j['steps'] as Json[])[2]!['sheel'] = 'bash' }))).toEqual([expect.stringMatching(/unknown key 'sheel'/)])
    expect(job.steps.length).toBeGreaterThan(3)
  })

  it('runs on Linux, macOS and Windows, read-only, on pushes to main and pull requests', () => {
    const w = load()
    const job = theJob(w)
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    const oses = (job.strategy?.matrix?.include ?? []).map((entry) => String(entry['os']))
    expect(oses.some((os) => os.startsWith('ubuntu-'))).toBe(true)
    expect(oses.some((os) => os.startsWith('macos-'))).toBe(true)
    expect(oses.some((os) => os.startsWith('windows-'))).toBe(true)
    expect(w['permissions']).toEqual({ contents: 'read' })
    expect(Object.keys(w['on'] as Json)).toEqual(expect.arrayContaining(['push', 'pull_request']))
    expect(job['timeout-minutes']).toBeLessThanOrEqual(90)
  })

  it('installs from the lockfile, then the Electron binary, then runs npm test (under xvfb-run on Linux)', () => {
    const { steps } = theJob(load())
    const ci = indexOf(steps, (s) => /^npm ci\b/.test(s.run ?? ''), 'npm ci')
    const electron = indexOf(steps, (s) => /\bnpx install-electron\b/.test(s.run ?? ''), 'the Electron binary is installed')
    const tests = steps.filter((s) => /\bnpm test\b/.test(s.run ?? ''))
    expect(tests.map((s) => s.if).sort()).toEqual(["runner.os != 'Linux'", "runner.os == 'Linux'"])
    for (const step of tests) {
      if (step.if === "runner.os == 'Linux'") expect(step.run!.trim()).toMatch(/^xvfb-run -a npm test$/)
      else expect(step.run!.trim()).toBe('npm test')
      expect(steps.indexOf(step)).toBeGreaterThan(electron)
    }
    expect(electron).toBeGreaterThan(ci)
    // Nothing skips the Electron binary on these machines.
    expect(JSON.stringify(steps)).not.toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/)
  })

  it('packages installers after the tests and uploads them, failing when there are none', () => {
    const { steps } = theJob(load())
    const lastTest = Math.max(...steps.flatMap((s, i) => (/\bnpm test\b/.test(s.run ?? '') ? [i] : [])))
    const pack = indexOf(steps, (s) => /^npm run package\b/.test(s.run?.trim() ?? ''), 'npm run package')
    expect(pack).toBeGreaterThan(lastTest)
    const upload = steps.find((s, i) => i > pack && s.uses?.startsWith('actions/upload-artifact@') && !s.if)
    expect(upload, 'an upload of the installers').toBeDefined()
    const paths = String(upload!.with?.['path']).split('\n').map((p) => p.trim()).filter(Boolean)
    expect(paths).toEqual(expect.arrayContaining(['dist/*.AppImage', 'dist/*.deb', 'dist/*.dmg', 'dist/*.exe']))
    expect(upload!.with?.['if-no-files-found']).toBe('error')
  })
})
