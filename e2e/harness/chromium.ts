// Which Chromium the harness, the e2e tests and the UI bench drive: FLUXBASE_KEYS_CHROMIUM if
// set, else the first of the usual system paths (Debian's package first). Never a download.
import { existsSync } from 'node:fs'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome']

export function chromiumPath(): string {
  const chosen = process.env.FLUXBASE_KEYS_CHROMIUM?.trim()
  if (chosen) return chosen
  return CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!
}

/** Flags for a closed network: no background connections, no first-run work, no sandbox as root. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic']
