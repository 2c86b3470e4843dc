// Sandboxed preload (bundled as CommonJS): exposes `window.api`, built from the IPC contract,
// and nothing else. No raw ipcRenderer, no node.
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from '../shared/contract'
import { createInvoke, createSubscribe } from './bridge'

contextBridge.exposeInMainWorld('api', buildApi(createInvoke(ipcRenderer), createSubscribe(ipcRenderer)))
