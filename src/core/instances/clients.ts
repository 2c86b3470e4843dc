// One FluxbaseClient per instance, built lazily from the keychain credential and kept for
// the session so its access token is reused (and refreshed) across calls. Every exchange
// tells the app's state whether that instance's server can be reached.
import { FluxbaseClient, RequestBudget, type ReachabilityObserver } from '../fluxbase'
import type { Cache } from '../cache'
import type { SecretStore } from '../secrets'
import { AppError } from '../app/errors'
import { loadCredential } from './credentials'
import { transportOf } from './transport'

export interface ClientPoolOptions {
  cache: Pick<Cache, 'getInstance'>
  secrets: SecretStore
  now: () => number
  timeoutMs: () => number
  observer: (instanceId: string) => ReachabilityObserver
  /** Told when requests to an instance wait for its server's rate-limit window (until: ms), or go again (null). */
  onRateLimitWait?: (instanceId: string, until: number | null) => void
}

export class ClientPool {
  private readonly clients = new Map<string, Promise<FluxbaseClient>>()
  /** One budget per server, kept across client rebuilds: the server's window does not reset with them. */
  private readonly budgets = new Map<string, RequestBudget>()

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
    const transport = transportOf(instance)
    return new FluxbaseClient({
      baseUrl: instance.baseUrl,
      credential,
      allowInsecureTransport: transport.insecureTransport,
      caPem: transport.caPem,
      timeoutMs: this.options.timeoutMs(),
      now: this.options.now,
      observer: this.options.observer(instanceId),
      budget: this.budget(instanceId)
    })
  }

  budget(instanceId: string): RequestBudget {
    let budget = this.budgets.get(instanceId)
    if (!budget) {
      // The budget times real waits: the machine's clock, not an injected one.
      budget = new RequestBudget(Date.now, (until) => this.options.onRateLimitWait?.(instanceId, until))
      this.budgets.set(instanceId, budget)
    }
    return budget
  }
}

/** What lifecycle actions and sync need of the pool. */
export type Clients = Pick<ClientPool, 'get'>
