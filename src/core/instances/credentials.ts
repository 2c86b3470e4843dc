// Admin credentials live only in the keychain, as JSON under one account per instance.
// The entry also names the server it belongs to (URL and label, not secret), so that a
// lost or corrupt cache can rebuild the instance list from the keychain alone.
import { z } from 'zod'
import type { InstanceProfile } from '../../shared/domain'
import type { AdminCredential } from '../fluxbase'
import { accounts, type SecretStore } from '../secrets'
import { AppError } from '../app/errors'

const CredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), email: z.string(), password: z.string() }),
  z.object({ kind: z.literal('token'), accessToken: z.string(), refreshToken: z.string().optional() })
])

const KeychainEntrySchema = z.object({
  // Transport choices ride along, so an instance restored after a cache rebuild is reached as before.
  profile: z.object({
    id: z.string(), label: z.string(), baseUrl: z.string(), addedAt: z.string(),
    insecureTransport: z.boolean().default(false),
    caBundle: z.object({ path: z.string(), fingerprint: z.string() }).nullable().default(null)
  }),
  credential: CredentialSchema
})
type KeychainEntry = z.infer<typeof KeychainEntrySchema>

export async function saveCredential(secrets: SecretStore, instance: InstanceProfile, credential: AdminCredential): Promise<void> {
  const entry: KeychainEntry = {
    profile: {
      id: instance.id, label: instance.label, baseUrl: instance.baseUrl, addedAt: instance.addedAt,
      insecureTransport: instance.insecureTransport, caBundle: instance.caBundle
    },
    credential
  }
  await secrets.set(accounts.instanceCredential(instance.id), JSON.stringify(entry))
}

async function readEntry(secrets: SecretStore, instanceId: string): Promise<KeychainEntry | null> {
  const raw = await secrets.get(accounts.instanceCredential(instanceId))
  if (raw === null) return null
  try {
    const parsed = KeychainEntrySchema.safeParse(JSON.parse(raw))
    if (parsed.success) return parsed.data
  } catch {
    // fall through to the actionable error below
  }
  throw new AppError('keychain', 'The keychain entry for this instance is unreadable. Sign in again from the Tenants view to replace it.')
}

export async function loadCredential(secrets: SecretStore, instanceId: string): Promise<AdminCredential> {
  const entry = await readEntry(secrets, instanceId)
  if (!entry) {
    throw new AppError('keychain', 'The admin credential for this instance is not in the keychain any more. Sign in again from the Tenants view.')
  }
  return entry.credential
}

/** Instances whose credential is in the keychain: the profile part of each entry. */
export async function instancesInKeychain(secrets: SecretStore): Promise<InstanceProfile[]> {
  const found: InstanceProfile[] = []
  for (const account of await secrets.list('instance:')) {
    const match = /^instance:(.+):admin$/.exec(account)
    if (!match?.[1]) continue
    const entry = await readEntry(secrets, match[1]).catch(() => null)
    if (!entry) continue
    const { credential, profile } = entry
    found.push({
      ...profile,
      authKind: credential.kind,
      email: credential.kind === 'password' ? credential.email : null
    })
  }
  return found
}
