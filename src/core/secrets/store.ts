/** Where secrets live. Implementations never fall back to plaintext. */
export interface SecretStore {
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<boolean>
  /** Accounts under our service name that start with prefix. Never returns values. */
  list(prefix?: string): Promise<string[]>
}
