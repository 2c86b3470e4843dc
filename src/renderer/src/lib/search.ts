// What the inventory search matches: the cache decides (inventory.query's `text`, in
// src/core/cache: the full-text index for name, prefix and description, and the scope sets,
// tenant names and instance labels beside it). The placeholder promises exactly this, and only
// these fields mark their matches, so a highlighted word is always one the search used.
export type SearchField = 'name' | 'prefix' | 'description' | 'scopes' | 'tenant' | 'instance'

export const SEARCH_FIELDS: readonly SearchField[] = ['name', 'prefix', 'description', 'scopes', 'tenant', 'instance']

export const searches = (field: SearchField): boolean => SEARCH_FIELDS.includes(field)

/** Short enough for the box at 1024 px; the title says it in full. */
export const SEARCH_PLACEHOLDER = 'Search key, scope, tenant, instance'
export const SEARCH_TITLE = 'Searches key names, prefixes, descriptions, scopes, tenant names and instance names (/ or Ctrl+F)'
