// The preload's allowlists (src/preload/bridge.ts) with a fake ipcRenderer; the real contextBridge
// cannot run here. Also checks the built preload is a sandbox-loadable CommonJS file.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { EVENT_NAMES, OPERATION_NAMES, buildApi } from '../../src/shared/contract'
import { createInvoke, createSubscribe, eventChannel, isEventName, isOperationName, type IpcRendererLike } from '../../src/preload/bridge'

type Listener = (event: unknown, ...args: unknown[]) => void
function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Listener>>()
  const ipc = {
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
    on: vi.fn((channel: string, listener: Listener) => { (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener) }),
    removeListener: vi.fn((channel: string, listener: Listener) => { listeners.get(channel)?.delete(listener) }),
    emit(channel: string, payload: unknown) { for (const l of listeners.get(channel) ?? []) l({ sender: 'IpcRendererEvent with sender' }, payload) },
    count: (channel: string) => listeners.get(channel)?.size ?? 0
  }
  return ipc satisfies IpcRendererLike
}

describe('name allowlists', () => {
  it('know every contract name and nothing else', () => {
    for (const name of OPERATION_NAMES) expect(isOperationName(name)).toBe(true)
    for (const name of EVENT_NAMES) expect(isEventName(name)).toBe(true)
    for (const bad of ['', 'event:warning', 'keys', 'keys.copyValue ', '__proto__', 'constructor', 'secrets.get', 'toString', 1, null, undefined, {}]) {
      expect(isOperationName(bad), String(bad)).toBe(false)
      expect(isEventName(bad), String(bad)).toBe(false)
    }
  })
})

describe('invoke', () => {
  it('forwards contract operations on their own channel', async () => {
    const ipc = fakeIpcRenderer()
    const invoke = createInvoke(ipc)
    await invoke('keys.get', { instanceId: 'i' })
    expect(ipc.invoke).toHaveBeenCalledWith('keys.get', { instanceId: 'i' })
  })

  it('refuses any other channel without touching ipc', async () => {
    const ipc = fakeIpcRenderer()
    const invoke = createInvoke(ipc) as (name: string, input: unknown) => Promise<unknown>
    await expect(invoke('event:warning', {})).rejects.toThrow(/Unknown operation/)
    await expect(invoke('secrets.read', {})).rejects.toThrow(/Unknown operation/)
    expect(ipc.invoke).not.toHaveBeenCalled()
  })

  it('buildApi over the bridge reaches every operation and only those', async () => {
    const ipc = fakeIpcRenderer()
    const api = buildApi(createInvoke(ipc), createSubscribe(ipc)) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>
    for (const name of OPERATION_NAMES) {
      const [feature, verb] = name.split('.') as [string, string]
      await api[feature]![verb]!({})
    }
    expect(ipc.invoke.mock.calls.map((call) => call[0]).sort()).toEqual([...OPERATION_NAMES].sort())
  })
})

describe('subscribe', () => {
  it('delivers the payload only, never the IpcRendererEvent', () => {
    const ipc = fakeIpcRenderer()
    const listener = vi.fn()
    createSubscribe(ipc)('warning', listener)
    ipc.emit(eventChannel('warning'), { id: 'w1' })
    expect(listener).toHaveBeenCalledWith({ id: 'w1' })
    expect(listener.mock.calls[0]).toHaveLength(1)
  })

  it('listens on event:<name> and unsubscribes (idempotently)', () => {
    const ipc = fakeIpcRenderer()
    const off = createSubscribe(ipc)('inventory.changed', () => undefined)
    expect(ipc.on).toHaveBeenCalledWith('event:inventory.changed', expect.any(Function))
    expect(ipc.count('event:inventory.changed')).toBe(1)
    off()
    off()
    expect(ipc.count('event:inventory.changed')).toBe(0)
    expect(ipc.removeListener).toHaveBeenCalledOnce()
  })

  it('refuses unknown events and non-function listeners', () => {
    const ipc = fakeIpcRenderer()
    const subscribe = createSubscribe(ipc) as (name: string, listener: unknown) => () => void
    expect(() => subscribe('keys.copyValue', () => undefined)).toThrow(/Unknown event/)
    expect(() => subscribe('event:warning', () => undefined)).toThrow(/Unknown event/)
    expect(() => subscribe('warning', 'not a function')).toThrow(TypeError)
    expect(ipc.on).not.toHaveBeenCalled()
  })
})

describe('preload source and bundle', () => {
  const root = join(__dirname, '../..')

  it('exposes only window.api, built from the contract', () => {
    const source = readFileSync(join(root, 'src/preload/index.ts'), 'utf8')
    expect(source.match(/exposeInMainWorld/g)).toHaveLength(1)
    expect(source).toContain("exposeInMainWorld('api', buildApi(")
  })

  // A sandboxed preload can require only electron and a few polyfilled builtins: zod and the
  // contract must be bundled in (electron.vite.config.ts: preload build.externalizeDeps: false).
  const bundle = join(root, 'out/preload/index.js')
  it.skipIf(!existsSync(bundle))('out/preload/index.js is CommonJS and requires nothing the sandbox lacks', () => {
    const code = readFileSync(bundle, 'utf8')
    expect(code).not.toMatch(/^\s*(import|export)\s/m)
    const required = [...code.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2])
    expect(required.filter((name) => !['electron', 'events', 'timers', 'url'].includes(name!))).toEqual([])
  })
})
