// Public surface of the Fluxbase admin-API client.
export { FluxbaseClient, isUuid, DEFAULT_TIMEOUT_MS, SINGLE_TENANT_ID } from './client'
export { FluxbaseError, isFluxbaseError } from './errors'
export type { FluxbaseErrorKind } from './errors'
export { DEFAULT_RETRY, backoffDelay } from './retry'
export type { ReachabilityObserver } from './http'
export { RequestBudget, type Priority } from './budget'
export type {
  AdminCredential,
  ApiServiceKey,
  ApiTenant,
  CreateKeyInput,
  FluxbaseClientOptions,
  IssuedKey,
  RetryOptions,
  RevocationEntry,
  SessionTokens,
  UpdateKeyInput
} from './types'
