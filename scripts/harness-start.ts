// `npm start` without Electron: the built renderer in Chromium with the real core behind it and,
// unless FLUXBASE_URL is set, an embedded emulator. Headed when a display is available; headless
// (CI, SSH) it syncs, saves a screenshot, prints a summary and exits 0.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startHarness, type HarnessRun } from '../e2e/harness/harness'
import { buildRenderer } from '../e2e/harness/build-renderer'
import { chromiumPath } from '../e2e/harness/chromium'
import { KEY_STATUSES } from '../src/shared/domain'
import { STATUS_LABELS } from '../src/shared/status'
import type { TenantOverview } from '../src/shared/contract'

const root = join(__dirname, '..')
const demo = process.argv.includes('--demo')

class Fatal extends Error {
  constructor(message: string, readonly hint: string) { super(message) }
}

const CREDENTIALS_HINT = 'Check FLUXBASE_URL and either FLUXBASE_TOKEN, or FLUXBASE_EMAIL and FLUXBASE_PASSWORD (see the README).'

async function call<T>(run: HarnessRun, name: Parameters<HarnessRun['host']['dispatch']>[0], input: unknown): Promise<T> {
  const r = await run.host.dispatch(name, input)
  if (!r.ok) throw new Fatal(r.error.message, CREDENTIALS_HINT)
  return r.value as T
}

type Auth = { kind: 'password'; email: string; password: string } | { kind: 'token'; token: string }

/** A configured server's credential from the environment: a token, or an e-mail and password. */
function authFromEnv(): Auth {
  const token = process.env.FLUXBASE_TOKEN?.trim()
  if (token) return { kind: 'token', token }
  const email = process.env.FLUXBASE_EMAIL?.trim() ?? ''
  const password = process.env.FLUXBASE_PASSWORD ?? ''
  if (email && password) return { kind: 'password', email, password }
  throw new Fatal('FLUXBASE_URL is set, but no credential is: neither FLUXBASE_TOKEN nor FLUXBASE_EMAIL and FLUXBASE_PASSWORD.',
    'Set FLUXBASE_TOKEN to an admin access token, or FLUXBASE_EMAIL and FLUXBASE_PASSWORD to an admin account; or unset FLUXBASE_URL to use the embedded emulator.')
}

async function main(): Promise<number> {
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    console.log('Building the renderer (out/renderer is missing)…')
    await buildRenderer(root).catch((err: unknown) => {
      throw new Fatal(`the renderer build failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, 'Run `npm run build` to see the full error.')
    })
  }
  const browser = chromiumPath()
  if (!existsSync(browser)) {
    throw new Fatal(`Chromium was not found at ${browser}.`, 'Install it (sudo apt-get install -y chromium), or point FLUXBASE_KEYS_CHROMIUM at a Chromium or Chrome binary.')
  }

  const externalUrl = process.env.FLUXBASE_URL
  const headless = !process.env.DISPLAY || process.argv.includes('--headless')
  const run = await startHarness({
    headless,
    ...(externalUrl ? { externalUrl } : { emulator: demo ? { seed: { tenants: 12, keysPerTenant: 250, seed: 20261128 } } : {} }),
    viewport: { width: 1440, height: 900 }
  })
  const stop = async () => { await run.close() }
  process.once('SIGINT', () => { void stop().then(() => process.exit(130)) })
  try {
    let auth: Auth
    if (run.emulator) {
      const { email, password } = run.emulator.credentials.instanceAdmin
      auth = { kind: 'password', email, password }
      console.log(`Embedded Fluxbase emulator: ${run.emulator.url}`)
      console.log(`  sign in as ${email} / ${password} (demo credentials of the local emulator)`)
    } else {
      auth = authFromEnv()
      console.log(`Fluxbase server: ${externalUrl} (signing in with ${auth.kind === 'token' ? 'the token in FLUXBASE_TOKEN' : `the account ${auth.email}`})`)
    }
    await call(run, 'instances.add', { baseUrl: run.serverUrl, label: run.emulator ? 'Local emulator' : 'Fluxbase', auth })
    const summary = await call<{ tenants: number; ok: number; failed: number; durationMs: number }>(run, 'sync.run', {})
    await run.page.reload()
    await run.page.getByRole('grid', { name: 'Service keys' }).waitFor()
    await run.page.getByText(/^[\d,]+ keys?$/).waitFor()

    if (!headless) {
      console.log(`Chromium is open on ${run.rendererUrl}. Close the window (or press Ctrl+C) to quit.`)
      await new Promise<void>((resolve) => run.page.on('close', () => resolve()))
      return 0
    }
    // One file per run (never overwritten), and a stable "latest" copy to open.
    const dir = join(root, 'test-results', 'start')
    mkdirSync(dir, { recursive: true })
    const name = demo ? 'inventory-demo' : 'inventory'
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    const shot = join(dir, `${name}-${stamp}.png`)
    const latest = join(dir, `${name}-latest.png`)
    await run.page.waitForTimeout(300)
    await run.page.screenshot({ path: shot })
    copyFileSync(shot, latest)

    const tenants = await call<TenantOverview[]>(run, 'tenants.list', {})
    const total = tenants.reduce((n, t) => n + t.total, 0)
    console.log(`No display here, so Chromium ran headless. Synced ${summary.ok}/${summary.tenants} tenants in ${Math.round(summary.durationMs)} ms${summary.failed ? ` (${summary.failed} failed)` : ''}.`)
    console.log(`Inventory: ${total.toLocaleString()} keys in ${tenants.length} tenants`)
    const width = Math.max(...tenants.map((t) => t.name.length), 6)
    console.log(`  ${'Tenant'.padEnd(width)}  ${KEY_STATUSES.map((s) => STATUS_LABELS[s].padStart(13)).join('')}  ${'Total'.padStart(7)}`)
    for (const t of tenants) {
      console.log(`  ${t.name.padEnd(width)}  ${KEY_STATUSES.map((s) => String(t.counts[s] ?? 0).padStart(13)).join('')}  ${String(t.total).padStart(7)}`)
    }
    console.log(`Screenshot of the synced inventory: ${shot} (also ${latest})`)
    return 0
  } finally {
    await stop()
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof Fatal) {
    console.error(`Could not start: ${err.message}`)
    console.error(`Hint: ${err.hint}`)
  } else {
    console.error(`Could not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    console.error('Hint: run `npm install` and `npm run build`; keytar needs an unlocked keyring (scripts/with-keyring.sh provides one).')
  }
  process.exit(1)
})
