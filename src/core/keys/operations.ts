// keys.* and bulk.*: every lifecycle action on one key, and the same actions in bulk.
// Each action runs in lifecycle.ts; this module shapes answers for the UI and says what changed.
import type { KeyRef } from '../../shared/domain'
import type { Cache } from '../cache'
import type { InventoryEvents } from '../events'
import type { ToRow } from '../inventory/rows'
import type { FeatureHandlers } from '../operation'
import type { SettingsReader } from '../settings/store'
import { previewBulk, runBulk } from './bulk'
import type { ClipboardGuard } from './copy'
import * as lifecycle from './lifecycle'
import type { UnsavedValues } from './unsaved'

export interface KeyFeatureDeps extends lifecycle.LifecycleDeps {
  cache: lifecycle.KeyStore & Pick<Cache, 'getTenant' | 'predecessorOf'>
  toRow: ToRow
  clipboard: Pick<ClipboardGuard, 'copy'>
  unsaved: UnsavedValues
  settings: SettingsReader
  events: InventoryEvents
}

export function keyHandlers(deps: KeyFeatureDeps) {
  const { cache, toRow, events } = deps
  const issueResult = ({ key, handOff }: lifecycle.Issued) =>
    handOff.storedInKeychain
      ? { storedInKeychain: true as const, key: toRow(key) }
      : {
          storedInKeychain: false as const, key: toRow(key), unsavedValue: handOff.unsavedValue, warning: handOff.warning,
          unsavedId: deps.unsaved.keep({ instanceId: key.instanceId, tenantId: key.tenantId, keyId: key.id }, key.name, handOff.unsavedValue, handOff.warning)
        }
  /** The action changed the inventory: say so (the UI's one reload signal), answer the row. */
  const changed = <T>(reason: string, value: T): T => {
    events.inventoryChanged(reason)
    return value
  }

  return {
    'keys.get': async (ref) => ({ key: toRow(lifecycle.requireKey(cache, ref)), replaces: cache.predecessorOf(ref) }),
    'keys.history': async (ref) => ({ entries: await lifecycle.keyHistory(deps, ref) }),
    'keys.create': async ({ instanceId, tenantId, input }) =>
      issueResult(changed('create', await lifecycle.createKey(deps, instanceId, tenantId, input))),
    'keys.update': async ({ ref, input }) => toRow(changed('update', await lifecycle.updateKey(deps, ref, input))),
    'keys.disable': async (ref) => toRow(changed('disable', await lifecycle.disableKey(deps, ref))),
    'keys.enable': async (ref) => toRow(changed('enable', await lifecycle.enableKey(deps, ref))),
    'keys.deprecate': async ({ ref, graceHours }) => toRow(changed('deprecate', await lifecycle.deprecateKey(deps, ref, graceHours))),
    'keys.rotate': async ({ ref, graceHours, newName }) => {
      const { issued, oldKey, deprecateError } = changed('rotate', await lifecycle.rotateKey(deps, ref, graceHours, newName))
      return { issued: issueResult(issued), oldKey: toRow(oldKey), deprecateError }
    },
    'keys.replace': async ({ ref, input, graceHours }) => {
      const { issued, oldKey, deprecateError } = changed('replace', await lifecycle.replaceKey(deps, ref, input, graceHours))
      return { issued: issueResult(issued), oldKey: toRow(oldKey), deprecateError }
    },
    'keys.finishRotation': async ({ ref, mode }) => toRow(changed('finish_rotation', await lifecycle.finishRotation(deps, ref, mode))),
    'keys.revoke': async ({ ref, reason }) => toRow(changed('revoke', await lifecycle.revokeKey(deps, ref, reason))),
    'keys.delete': async ({ ref, confirmName, force }) => {
      await lifecycle.deleteKey(deps, ref, confirmName, force)
      return changed('delete', {})
    },
    'keys.copyValue': async (ref) => {
      const seconds = deps.settings.read().clipboardClearSeconds
      await deps.clipboard.copy(deps.secrets, ref, seconds)
      return { clearsAfterSeconds: seconds }
    },
    'keys.forgetValue': async (ref) => toRow(changed('forget_value', await lifecycle.forgetStoredValue(deps, ref))),
    'keys.unsaved': async () => ({ values: deps.unsaved.list() }),
    'keys.dismissUnsaved': async ({ id }) => {
      deps.unsaved.dismiss(id)
      return {}
    }
  } satisfies FeatureHandlers<'keys'>
}

export function bulkHandlers(deps: KeyFeatureDeps) {
  const tenantName = (ref: KeyRef) => deps.cache.getTenant(ref.instanceId, ref.tenantId)?.name ?? ref.tenantId
  return {
    'bulk.preview': async (input) => ({ changes: previewBulk(deps, input, tenantName) }),
    'bulk.run': async (input) => {
      const result = await runBulk(deps, input, tenantName)
      deps.events.inventoryChanged('bulk')
      return result
    }
  } satisfies FeatureHandlers<'bulk'>
}
