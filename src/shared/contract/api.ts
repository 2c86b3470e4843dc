// The typed shape of `window.api`, and the one function that builds it from an invoke and a
// subscribe function: the preload and the e2e harness both call buildApi, so the UI cannot
// tell Electron from the harness.
import type { EventName, EventPayload } from './events'
import { OPERATION_NAMES, type OperationName, type OpInput, type OpOutput } from './operations'
import type { Result } from './errors'

/** `api.keys.create(input)` for op 'keys.create'. */
type Feature<K extends string> = K extends `${infer F}.${string}` ? F : never
type Verb<K extends string, F extends string> = K extends `${F}.${infer V}` ? V : never
type Method<K> = K extends OperationName ? (input: OpInput<K>) => Promise<Result<OpOutput<K>>> : never
export type Api = {
  readonly [F in Feature<OperationName>]: { readonly [V in Verb<OperationName, F>]: Method<`${F}.${V}`> }
} & {
  /** Subscribe to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export type Invoke = (name: OperationName, input: unknown) => Promise<unknown>
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void

/** Builds the frozen, nested api object from a single invoke function. */
export function buildApi(invoke: Invoke, subscribe: Subscribe): Api {
  const features = new Map<string, Record<string, (input: unknown) => Promise<unknown>>>()
  for (const name of OPERATION_NAMES) {
    const [feature, verb] = name.split('.') as [string, string]
    const methods = features.get(feature) ?? {}
    methods[verb] = (input: unknown) => invoke(name, input ?? {})
    features.set(feature, methods)
  }
  const api: Record<string, unknown> = { on: subscribe }
  for (const [feature, methods] of features) api[feature] = Object.freeze(methods)
  // The object is built from the same OPERATION_NAMES the Api type is derived from.
  return Object.freeze(api) as Api
}
