// Installs `window.api` in the page with the preload's own code (page-api.ts, bundled): every
// call goes through one Playwright binding to the real core host in this (Node) process, and
// core events come back with page.evaluate on the channel main would use.
import type { BrowserContext, Page } from '@playwright/test'
import { join } from 'node:path'
import { build } from 'esbuild'
import { eventChannel, type EventName, type OperationName, type Result } from '../../src/shared/contract'
import type { CoreHost } from '../../src/core/host'

/** Everything that crossed the bridge to the page: results of calls and pushed events. */
export interface IpcRecord {
  kind: 'result' | 'event'
  name: string
  /** JSON as the page received it (what the leak scanner reads). */
  json: string
}

/** The init script: page-api.ts bundled once per process (the preload's own buildApi inside). */
let initScript: Promise<string> | null = null
export function apiInitScript(): Promise<string> {
  initScript ??= build({
    entryPoints: [join(__dirname, 'page-api.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    // zod comes along (the operation names are read from the schemas): keep each page load light.
    minify: true,
    logLevel: 'silent'
  }).then((out) => {
    const file = out.outputFiles[0]
    if (!file) throw new Error('bundling the page api produced no output')
    return file.text
  })
  return initScript
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
  await context.addInitScript({ content: await apiInitScript() })

  // Events are delivered in order, one page.evaluate at a time.
  let chain: Promise<void> = Promise.resolve()
  const unsubscribe = host.onEvent((event: EventName, payload: unknown) => {
    records.push({ kind: 'event', name: event, json: JSON.stringify(payload) })
    chain = chain.then(() => page.evaluate(
      ([channel, p]) => (globalThis as typeof globalThis & { __fbkEmit?: (c: string, p: unknown) => void }).__fbkEmit?.(channel, p),
      [eventChannel(event), payload] as const
    )).catch(() => undefined) // the page may be navigating or closed
  })
  return {
    records,
    flush: () => chain,
    detach: unsubscribe
  }
}
