// The sync and UI benchmarks use the real keychain (keytar on gnome-keyring). Outside a
// keyring session they re-run themselves inside scripts/with-keyring.sh (a private D-Bus
// and an unlocked, throwaway gnome-keyring), so nothing touches the operator's keychain.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

export const REPO_ROOT = join(__dirname, '..', '..')

/** Returns when already inside the keyring session; otherwise re-executes and exits. */
export function ensureKeyring(): void {
  if (process.env.FLUXBASE_KEYS_IN_KEYRING === '1') return
  const wrapper = join(REPO_ROOT, 'scripts', 'with-keyring.sh')
  const r = spawnSync(wrapper, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', cwd: REPO_ROOT })
  if (r.error) {
    process.stderr.write(`bench: could not start ${wrapper}: ${r.error.message}\n`)
    process.exit(2)
  }
  process.exit(r.status ?? 1)
}
