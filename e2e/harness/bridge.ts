// Installs `window.api` in the page with the same shape as the preload's, generated from the
// contract's OPERATION_NAMES / EVENT_NAMES: every call goes through one Playwright binding to
// the real core host in this (Node) process, and core events come back with page.evaluate.
import type { BrowserContext, Page } from '@playwright/test'
import { EVENT_NAMES, OPERATION_NAMES, type EventName, type OperationName, type Result } from '../../src/shared/contract'
import type { CoreHost } from '../../src/core/host'

/** Everything that crossed the bridge to the page: results of calls and pushed events. */
export interface IpcRecord {
  kind: 'result' | 'event'
  name: string
  /** JSON as the page received it (what the leak scanner reads). */
  json: string
}

/** The init script: a frozen `window.api` built from the contract's names (inlined). */
export function apiInitScript(): string {
  return `(() => {
  const OPERATIONS = ${JSON.stringify(OPERATION_NAMES)};
  const EVENTS = ${JSON.stringify(EVENT_NAMES)};
  const listeners = new Map(EVENTS.map((e) => [e, new Set()]));
  const invoke = (name, input) => globalThis.__fbkInvoke(name, input);
  const api = {};
  for (const name of OPERATIONS) {
    const [feature, verb] = name.split('.');
    api[feature] = api[feature] || {};
    api[feature][verb] = (input) => invoke(name, input === undefined ? {} : input);
  }
  for (const feature of Object.keys(api)) Object.freeze(api[feature]);
  api.on = (event, listener) => {
    const set = listeners.get(event);
    if (!set) throw new Error('Unknown event: ' + String(event));
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    set.add(listener);
    return () => { set.delete(listener); };
  };
  Object.defineProperty(globalThis, '__fbkEmit', {
    value: (event, payload) => {
      for (const listener of listeners.get(event) || []) {
        try { listener(payload); } catch (err) { console.error('api listener failed', event, err && err.message); }
      }
    }
  });
  Object.defineProperty(globalThis, 'api', { value: Object.freeze(api), enumerable: true });
})();`
}

export interface Bridge {
  records: IpcRecord[]
  /** Resolves once every event sent so far has been delivered to the page. */
  flush(): Promise<void>
  detach(): void
}

export async function installBridge(context: BrowserContext, page: Page, host: CoreHost): Promise<Bridge> {
  const records: IpcRecord[] = []
  await context.exposeBinding('__fbkInvoke', async (_source, name: OperationName, input: unknown): Promise<Result<unknown>> => {
    const result = await host.dispatch(name, input)
    records.push({ kind: 'result', name, json: JSON.stringify(result) })
    return result
  })
  await context.addInitScript({ content: apiInitScript() })

  // Events are delivered in order, one page.evaluate at a time.
  let chain: Promise<void> = Promise.resolve()
  const unsubscribe = host.onEvent((event: EventName, payload: unknown) => {
    records.push({ kind: 'event', name: event, json: JSON.stringify(payload) })
    chain = chain.then(() => page.evaluate(
      ([e, p]) => (globalThis as unknown as { __fbkEmit?: (e: string, p: unknown) => void }).__fbkEmit?.(e, p),
      [event, payload] as const
    )).catch(() => undefined) // the page may be navigating or closed
  })
  return {
    records,
    flush: () => chain,
    detach: unsubscribe
  }
}
