import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'

// Placeholder shell; the hardened window and IPC arrive with the desktop-app issue.
app.whenReady().then(() => {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    webPreferences: { preload: join(__dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false }
  })
  void win.loadFile(join(__dirname, '../renderer/index.html'))
})
