// The app's own origin and the comparisons made against it. Pure: no electron import, so the
// IPC sender check and the navigation guard can be unit-tested without an Electron binary.

export const APP_SCHEME = 'app'
export const APP_HOST = 'fluxbase-keys'
/** `app://fluxbase-keys`. Note: WHATWG `URL.origin` is the string 'null' for non-special schemes, so never compare `.origin` for it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * A comparable origin string (`scheme://host[:port]`) for any URL, or null when it does not parse.
 * Works for custom schemes too, where `URL.origin` would be 'null'.
 */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (!parsed.host) return null
  return `${parsed.protocol}//${parsed.host}`.toLowerCase()
}

/**
 * The dev server origin electron-vite hands us (ELECTRON_RENDERER_URL), accepted only when the app is
 * not packaged and only for a loopback http(s) URL. Anything else is ignored (null).
 */
export function devServerOrigin(rendererUrl: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !rendererUrl) return null
  let parsed: URL
  try {
    parsed = new URL(rendererUrl)
  } catch {
    return null
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null
  if (!['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) return null
  return parsed.origin
}

/** The origins our window may show: the app protocol, plus the dev server in development. */
export function trustedOrigins(devOrigin: string | null): readonly string[] {
  return devOrigin ? [APP_ORIGIN, devOrigin.toLowerCase()] : [APP_ORIGIN]
}

export function isTrustedUrl(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url)
  return origin !== null && origins.includes(origin)
}
