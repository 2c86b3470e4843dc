// What only the cache knows and the servers cannot give back after a rebuild — the operator's
// settings, which tenants are synced and finish their rotations automatically, and the local
// facts of keys (grace ends this app set, revocation reasons the server dropped, orphan flags,
// Replace links) — kept also in a small file of its own beside the cache, written atomically
// (a temporary file, fsync, rename) and checksummed, so the damage that takes the cache file
// does not take these with it. Stored-value flags are not kept here: the keychain itself says
// which keys have a value.
import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { z } from 'zod'
import type { Log } from '../app/logger'

const RefSchema = z.object({ instanceId: z.string(), tenantId: z.string(), keyId: z.string() })

export const SafetyStateSchema = z.object({
  version: z.literal(1),
  savedAt: z.string(),
  settings: z.unknown(),
  tenants: z.array(z.object({ instanceId: z.string(), tenantId: z.string(), selected: z.boolean(), autoFinishRotation: z.boolean() })),
  keys: z.array(z.object({
    ref: RefSchema,
    localGraceEndsAt: z.string().nullable(),
    revocationReason: z.string().nullable(),
    orphan: z.boolean(),
    localReplacedBy: z.string().nullable()
  }))
})
export type SafetyState = z.infer<typeof SafetyStateSchema>

const FileSchema = z.object({ checksum: z.string(), state: z.unknown() })

const checksumOf = (json: string): string => createHash('sha256').update(json).digest('hex')

/** Writes the state so that a crash leaves either the old file or the new one, never half. */
export function writeSafetyState(file: string, state: SafetyState): void {
  const json = JSON.stringify(state)
  const tmp = `${file}.tmp`
  const fd = openSync(tmp, 'w', 0o600)
  try {
    writeSync(fd, JSON.stringify({ checksum: checksumOf(json), state: JSON.parse(json) as unknown }))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}

/** The kept state, or null when there is none or it does not check out (said in the log). */
export function readSafetyState(file: string, log: Log): SafetyState | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  try {
    const outer = FileSchema.parse(JSON.parse(text))
    const json = JSON.stringify(outer.state)
    if (checksumOf(json) !== outer.checksum) {
      log('safety state: the checksum does not match (the file is damaged); it is not used')
      return null
    }
    return SafetyStateSchema.parse(outer.state)
  } catch {
    log('safety state: the file cannot be read as kept state (damaged); it is not used')
    return null
  }
}
