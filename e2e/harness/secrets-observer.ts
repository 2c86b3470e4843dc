// Wraps the real keychain store and remembers every secret that passes through it, so the leak
// scanner knows what must never reach the page, even after an entry has been deleted.
import type { SecretStore } from '../../src/core/secrets'

const SECRET_FIELD = /password|token|secret|value|refresh|access|jwt/i

export class ObservedSecretStore implements SecretStore {
  private readonly seen = new Set<string>()
  constructor(private readonly inner: SecretStore) {}

  /** Every secret value (and every string inside a JSON-encoded one) seen so far. */
  secretsSeen(): string[] {
    return [...this.seen]
  }

  private remember(value: string | null): void {
    if (!value) return
    this.seen.add(value)
    try {
      // Credential entries are JSON that also name the server (URL, label, e-mail: not secret);
      // only the fields that hold secrets count.
      const walk = (v: unknown, field: string): void => {
        if (typeof v === 'string') { if (SECRET_FIELD.test(field) && v.length >= 8) this.seen.add(v) }
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k)
      }
      const parsed: unknown = JSON.parse(value)
      if (parsed && typeof parsed === 'object') {
        this.seen.delete(value)
        this.seen.add(value)
        walk(parsed, '')
      }
    } catch {
      // not JSON: the whole value is the secret
    }
  }

  async set(account: string, value: string): Promise<void> {
    this.remember(value)
    await this.inner.set(account, value)
  }
  async get(account: string): Promise<string | null> {
    const value = await this.inner.get(account)
    this.remember(value)
    return value
  }
  delete(account: string): Promise<boolean> { return this.inner.delete(account) }
  list(prefix?: string): Promise<string[]> { return this.inner.list(prefix) }
}
