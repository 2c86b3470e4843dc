// One FluxbaseClient per instance, built lazily from the keychain credential and kept for
// the session so its access token is reused (and refreshed) across calls. Every exchange
// tells the app's state whether that instance's server can be reached.
import { FluxbaseClient, type ReachabilityObserver } from '../fluxbase'
import type { Cache } from '../cache'
import type { SecretStore } from '../secrets'
import { AppError } from '../app/errors'
import { loadCredential } from './credentials'

export interface ClientPoolOptions {
  cache: Pick<Cache, 'getInstance'>
  secrets: SecretStore
  now: () => number
  timeoutMs: () => number
  observer: (instanceId: string) => ReachabilityObserver
}

export class ClientPool {
  private readonly clients = new Map<string, Promise<FluxbaseClient>>()

  constructor(private readonly options: ClientPoolOptions) {}

  get(instanceId: string): Promise<FluxbaseClient> {
    let client = this.clients.get(instanceId)
    if (!client) {
      client = this.build(instanceId)
      this.clients.set(instanceId, client)
      // A failed build (keychain locked) must not be cached.
      client.catch(() => this.clients.delete(instanceId))
    }
    return client
  }

  /** Forget a client (credential changed, instance removed, settings changed). */
  forget(instanceId?: string): void {
    if (instanceId === undefined) this.clients.clear()
    else this.clients.delete(instanceId)
  }

  private async build(instanceId: string): Promise<FluxbaseClient> {
    const instance = this.options.cache.getInstance(instanceId)
    if (!instance) throw new AppError('not_found', 'That Fluxbase instance is no longer configured.')
    const credential = await loadCredential(this.options.secrets, instanceId)
    return new FluxbaseClient({
      baseUrl: instance.baseUrl,
      credential,
      timeoutMs: this.options.timeoutMs(),
      now: this.options.now,
      observer: this.options.observer(instanceId)
    })
  }
}

/** What lifecycle actions and sync need of the pool. */
export type Clients = Pick<ClientPool, 'get'>
