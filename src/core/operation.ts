// What a feature module implements: one handler per operation of its slice of the contract.
// The host checks at compile time that the features together cover every operation, once.
import type { OperationName, OpOutput, OpParsed } from '../shared/contract'

/** Receives the input as the contract's schema parsed it; answers what the output schema names. */
export type Handler<K extends OperationName> = (input: OpParsed<K>) => Promise<OpOutput<K>>

/** The operations named `<feature>.<verb>`. */
export type OperationsOf<F extends string> = Extract<OperationName, `${F}.${string}`>

/** Every handler of one feature: `satisfies FeatureHandlers<'keys'>` in its operations module. */
export type FeatureHandlers<F extends string> = { [K in OperationsOf<F>]: Handler<K> }

export type AllHandlers = { [K in OperationName]: Handler<K> }
