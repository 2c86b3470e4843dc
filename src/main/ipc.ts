// One ipcMain.handle per contract operation (never a generic channel), each checking the sender
// frame before the core parses the payload with the contract schema. Core events go to our
// window only, on `event:<name>` channels.
import { ipcMain, type BrowserWindow } from 'electron'
import { eventChannel, isEventName, OPERATION_NAMES, type EventName } from '../shared/contract'
import type { CoreHost } from '../core/host'
import { checkSender, forbidden } from './security/sender'

export interface IpcOptions {
  host: CoreHost
  /** The app window, or null while it does not exist. */
  window: () => BrowserWindow | null
  origins: readonly string[]
  log: (line: string) => void
}

export function registerIpc({ host, window, origins, log }: IpcOptions): () => void {
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(name, async (event, input: unknown) => {
      const win = window()
      const expected = win && !win.isDestroyed() && event.sender === win.webContents ? win.webContents.mainFrame : null
      const verdict = checkSender(event.senderFrame, expected, origins)
      if (!verdict.ok) {
        log(`ipc ${name} refused: ${verdict.reason}`)
        return forbidden()
      }
      // dispatch validates `input` with operations[name].input and never throws.
      return host.dispatch(name, input)
    })
  }
  const unsubscribe = host.onEvent((name, payload) => sendEvent(window(), name, payload))
  return () => {
    unsubscribe()
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(name)
  }
}

export function sendEvent(win: BrowserWindow | null, name: EventName, payload: unknown): void {
  if (!isEventName(name)) return
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return
  win.webContents.send(eventChannel(name), payload)
}
