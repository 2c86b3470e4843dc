// Every operation the UI may ask of the core, named `<feature>.<verb>`: the union of the
// feature slices. A new operation goes into its feature's slice (see ARCHITECTURE.md).
import type { z } from 'zod'
import { appOperations } from './app'
import { attentionOperations } from './attention'
import { exportOperations } from './export'
import { instanceOperations } from './instances'
import { inventoryOperations } from './inventory'
import { keyOperations } from './keys'
import { lockOperations } from './lock'
import { settingsOperations } from './settings'
import { syncOperations } from './sync'

export const operations = {
  ...appOperations,
  ...instanceOperations,
  ...syncOperations,
  ...inventoryOperations,
  ...keyOperations,
  ...exportOperations,
  ...settingsOperations,
  ...attentionOperations,
  ...lockOperations
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
/** What a caller sends (before the schema's defaults and trimming). */
export type OpInput<K extends OperationName> = z.input<Operations[K]['input']>
/** What a handler receives: the input after the schema parsed it. */
export type OpParsed<K extends OperationName> = z.output<Operations[K]['input']>
export type OpOutput<K extends OperationName> = z.infer<Operations[K]['output']>

export const OPERATION_NAMES = Object.keys(operations) as OperationName[]
const operationNames: ReadonlySet<string> = new Set(OPERATION_NAMES)
/** Own names only: `__proto__`, `constructor` or `toString` are not operations. */
export const isOperationName = (name: unknown): name is OperationName => typeof name === 'string' && operationNames.has(name)
