// The rules a person's input must follow, defined once: the contract's schemas, the client's
// argument checks and the UI's forms all read these numbers and sentences, so the limits a
// form shows are the limits the core enforces. Also the words a person reads for each field.

export const RULES = {
  /** Whole hours; the server has no bound (reference §4.8), the app allows one year. */
  graceHours: { min: 1, max: 24 * 365 },
  reason: { min: 3, max: 500 },
  keyName: { max: 200 },
  description: { max: 1000 },
  instanceLabel: { max: 100 },
  scopes: { maxCount: 50, maxLength: 100 },
  namespaces: { maxCount: 50, maxLength: 100 },
  rateLimitPerMinute: { max: 10_000_000 },
  rateLimitPerHour: { max: 100_000_000 },
  searchText: { max: 200 },
  bulkRefs: { max: 10_000 }
} as const

export const RULE_MESSAGES = {
  graceHours: `The grace period must be a whole number of hours, from ${RULES.graceHours.min} to ${RULES.graceHours.max} (one year).`,
  reason: `Give a reason of at least ${RULES.reason.min} characters (at most ${RULES.reason.max}).`,
  keyNameRequired: 'A name is required.',
  baseUrl: "Enter the server's full address, starting with https:// (for example https://fluxbase.example.com).",
  email: 'Enter the e-mail address of the admin account.',
  token: 'Paste the whole access token.'
} as const

/** A whole number of hours within the rules, or the sentence that says what is wrong. */
export function graceHoursProblem(hours: number): string | null {
  return Number.isInteger(hours) && hours >= RULES.graceHours.min && hours <= RULES.graceHours.max ? null : RULE_MESSAGES.graceHours
}

/** What a person calls each input field (error sentences never show the field's code name). */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  baseUrl: 'server address',
  email: 'e-mail address',
  password: 'password',
  token: 'access token',
  label: 'instance name',
  name: 'key name',
  newName: 'new key name',
  description: 'description',
  scopes: 'scopes',
  allowedNamespaces: 'namespaces',
  rateLimitPerMinute: 'rate limit per minute',
  rateLimitPerHour: 'rate limit per hour',
  expiresAt: 'expiry date',
  graceHours: 'grace period',
  reason: 'reason',
  confirmName: 'confirmation',
  text: 'search text',
  refs: 'selection of keys',
  tenantIds: 'selection of tenants',
  instanceId: 'instance',
  tenantId: 'tenant',
  keyId: 'key',
  clipboardClearSeconds: 'clipboard clearing delay',
  syncConcurrency: 'number of parallel requests',
  requestTimeoutSeconds: 'request timeout',
  graceLeadsMinutes: 'grace-period warning times',
  expiryLeadsMinutes: 'expiry warning times',
  unusedForDays: '"unused for" days',
  expiringWithinMs: '"expiring within" period',
  graceEndingWithinMs: '"grace ending within" period',
  limit: 'page size',
  offset: 'position in the list'
}

/** The label of the innermost named field of a path (array indexes skipped). */
export function fieldLabel(path: ReadonlyArray<PropertyKey>): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i]
    if (typeof part === 'string') return FIELD_LABELS[part] ?? null
  }
  return null
}
