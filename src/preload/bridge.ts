// The preload's two functions, kept free of electron so their allowlists are unit-tested:
// invoke only reaches contract operations, subscribe only contract events, and listeners get
// the payload alone (never the IpcRendererEvent, which would hand the page `event.sender`).
import { eventChannel, isEventName, isOperationName, type EventName, type Invoke, type OperationName, type Subscribe } from '../shared/contract'

/** The slice of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export { eventChannel, isEventName, isOperationName }

export function createInvoke(ipc: IpcRendererLike): Invoke {
  return (name: OperationName, input: unknown): Promise<unknown> => {
    if (!isOperationName(name)) return Promise.reject(new Error(`Unknown operation: ${String(name)}`))
    return ipc.invoke(name, input)
  }
}

export function createSubscribe(ipc: IpcRendererLike): Subscribe {
  return (name: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!isEventName(name)) throw new Error(`Unknown event: ${String(name)}`)
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    const channel = eventChannel(name)
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload)
    ipc.on(channel, wrapped)
    let active = true
    return () => {
      if (!active) return
      active = false
      ipc.removeListener(channel, wrapped)
    }
  }
}
