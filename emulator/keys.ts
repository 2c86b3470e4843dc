// Key values, prefixes and hashes (§6.1). The real server stores bcrypt; we store sha256
// (bcrypt would make seeding 200k keys take minutes, and nothing observable depends on it).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { KeyType } from './store'

export const KEY_PREFIX_LENGTH = 16

export type KeyFormat = 'current' | 'legacy' | 'legacyRotated'

/**
 * current: `sk_live_`/`pk_live_` + padded base64url of 32 bytes (52 chars, §6.1).
 * legacy: `sk_` + unpadded base64url (46 chars); the legacy rotate used padded (47 chars) (Appendix A).
 */
export function formatKey(bytes: Buffer, keyType: KeyType, format: KeyFormat): string {
  const b64 = bytes.toString('base64url')
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4)
  if (format === 'legacy') return `sk_${b64}`
  if (format === 'legacyRotated') return `sk_${padded}`
  return `${keyType === 'anon' ? 'pk_live_' : 'sk_live_'}${padded}`
}

export function newKeyValue(keyType: KeyType, format: KeyFormat): string {
  return formatKey(randomBytes(32), keyType, format)
}

export function keyPrefixOf(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH)
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function hashMatches(key: string, hash: string): boolean {
  const a = Buffer.from(hashKey(key), 'hex')
  const b = Buffer.from(hash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Known scope names (`internal/auth/scopes.go`, §6.3); the legacy server validated against them. */
export const KNOWN_SCOPES = [
  'tables:read', 'tables:write', 'storage:read', 'storage:write', 'functions:read', 'functions:execute',
  'auth:read', 'auth:write', 'clientkeys:read', 'clientkeys:write', 'webhooks:read', 'webhooks:write',
  'monitoring:read', 'realtime:connect', 'realtime:broadcast', 'rpc:read', 'rpc:execute', 'jobs:read',
  'jobs:write', 'ai:read', 'ai:write', 'secrets:read', 'secrets:write', 'migrations:read',
  'migrations:execute', '*'
] as const

const KNOWN_SCOPE_SET: ReadonlySet<string> = new Set(KNOWN_SCOPES)

export function isKnownScope(s: string): boolean {
  return KNOWN_SCOPE_SET.has(s)
}
