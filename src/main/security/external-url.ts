// Which URLs shell.openExternal may open: https only, and only on the origin of a configured
// Fluxbase instance (its dashboard or docs). Pure, so the rule is unit-tested.

/** The https origins of the configured instances' base URLs; http or malformed base URLs add nothing. */
export function externalAllowlist(baseUrls: readonly string[]): Set<string> {
  const origins = new Set<string>()
  for (const base of baseUrls) {
    try {
      const parsed = new URL(base)
      if (parsed.protocol === 'https:' && !parsed.username && !parsed.password) origins.add(parsed.origin)
    } catch {
      // not a URL: contributes nothing
    }
  }
  return origins
}

export function isAllowedExternalUrl(url: string, allowlist: ReadonlySet<string>): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:') return false
  // Credentials in the URL are a phishing vector (https://trusted@evil/...), never needed here.
  if (parsed.username || parsed.password) return false
  return allowlist.has(parsed.origin)
}
