// Small pure helpers for the key forms: the name a replacement key gets by default, and the
// namespaces field of the create dialog.
import { RULES } from '../../../shared/rules'

const VERSIONED = /^(.*\S)\s+v(\d+)$/i

/** The name without a trailing version ("api v2" → "api"): what its replacements share. */
export function nameBase(name: string): string {
  const trimmed = name.trim()
  return VERSIONED.exec(trimmed)?.[1] ?? trimmed
}

/**
 * A name for the key that replaces `oldName` that no key of the tenant has: "<name> v2", or the
 * next version when the old name already ends in one ("api v2" → "api v3").
 */
export function suggestReplacementName(oldName: string, taken: ReadonlySet<string>): string {
  const trimmed = oldName.trim()
  const m = VERSIONED.exec(trimmed)
  const base = nameBase(trimmed)
  let n = m ? Number(m[2]) + 1 : 2
  const fits = (s: string) => s.slice(0, RULES.keyName.max)
  for (let guard = 0; guard < 10_000; guard++, n++) {
    const suffix = ` v${n}`
    const candidate = fits(base.slice(0, RULES.keyName.max - suffix.length) + suffix)
    if (!taken.has(candidate) && candidate !== trimmed) return candidate
  }
  return fits(`${base} ${Date.now()}`)
}

/** The three meanings of the server's allowed_namespaces, made explicit for the form. */
export type NamespaceMode = 'all' | 'default' | 'list'

/** Namespaces typed as a list (commas, spaces or new lines between them), de-duplicated. */
export function parseNamespaces(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))]
}

/** What create sends: absent = every namespace, [] = the default one only, else the list. */
export function namespacesInput(mode: NamespaceMode, text: string): string[] | undefined {
  if (mode === 'all') return undefined
  if (mode === 'default') return []
  return parseNamespaces(text)
}

/** The problem with a typed list of namespaces, or null. */
export function namespacesProblem(mode: NamespaceMode, text: string): string | null {
  if (mode !== 'list') return null
  const list = parseNamespaces(text)
  if (list.length === 0) return 'Enter at least one namespace, or choose "All namespaces".'
  if (list.length > RULES.namespaces.maxCount) return `At most ${RULES.namespaces.maxCount} namespaces.`
  const long = list.find((n) => n.length > RULES.namespaces.maxLength)
  if (long) return `A namespace name is at most ${RULES.namespaces.maxLength} characters ("${long.slice(0, 20)}…").`
  return null
}

/** How a key's allowedNamespaces reads in the detail. */
export function namespacesLabel(list: readonly string[] | null): string {
  if (list === null) return 'All namespaces'
  if (list.length === 0) return 'Default namespace only'
  return list.join(', ')
}
