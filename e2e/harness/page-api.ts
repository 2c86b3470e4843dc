// Runs in the page (bundled by bridge.ts): installs `window.api` with the preload's own code,
// buildApi over createInvoke/createSubscribe, on an ipcRenderer look-alike whose invoke goes
// through a Playwright binding to the real core in the test process. So the harness and the
// preload cannot drift: the same functions build the same object with the same allowlists.
import { buildApi } from '../../src/shared/contract'
import { createInvoke, createSubscribe, type IpcRendererLike } from '../../src/preload/bridge'

type Listener = (event: unknown, ...args: unknown[]) => void

interface HarnessGlobals {
  __fbkInvoke(channel: string, input: unknown): Promise<unknown>
}

const listeners = new Map<string, Set<Listener>>()
const globals = globalThis as typeof globalThis & HarnessGlobals

const pageIpc: IpcRendererLike = {
  invoke: (channel, ...args) => globals.__fbkInvoke(channel, args[0]),
  on(channel, listener) {
    const set = listeners.get(channel) ?? new Set<Listener>()
    set.add(listener)
    listeners.set(channel, set)
  },
  removeListener(channel, listener) {
    listeners.get(channel)?.delete(listener)
  }
}

// The harness delivers each core event here, on the same channel main would send it on.
Object.defineProperty(globalThis, '__fbkEmit', {
  value: (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) {
      try {
        listener(null, payload)
      } catch (err) {
        console.error('api listener failed', channel, err instanceof Error ? err.message : String(err))
      }
    }
  }
})
Object.defineProperty(globalThis, 'api', { value: buildApi(createInvoke(pageIpc), createSubscribe(pageIpc)), enumerable: true })
