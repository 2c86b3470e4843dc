// ExportTargetPort: the operator picks where an export goes with the native save dialog.
import { app, dialog, type BrowserWindow } from 'electron'
import { extname, join } from 'node:path'
import type { ExportTargetPort } from '../core/ports'

export function createExportTarget(window: () => BrowserWindow | null): ExportTargetPort {
  return {
    async choosePath(suggestedName) {
      const ext = extname(suggestedName).slice(1).toLowerCase()
      const options: Electron.SaveDialogOptions = {
        title: 'Export key inventory',
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
        properties: ['createDirectory', 'showOverwriteConfirmation']
      }
      const win = window()
      const result = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    }
  }
}
