// The application menu. Electron's default menu has Reload, Force Reload and Toggle Developer
// Tools with their shortcuts; a reload would drop what is on screen (the one-time unsaved value
// of the keychain-failure fallback) and the developer tools open the page to anyone at the
// keyboard, so a packaged app has neither. macOS keeps the app, Edit (Cmd+C/V in text fields need
// it) and Window menus; Linux and Windows get no menu bar. Development keeps a View menu.
import type { MenuItemConstructorOptions } from 'electron'
import { PRODUCT_NAME } from './app-identity'

export function appMenuTemplate(isPackaged: boolean, platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  const view: MenuItemConstructorOptions = { label: 'View', submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }] }
  if (platform !== 'darwin') return isPackaged ? null : [view]
  return [
    {
      label: PRODUCT_NAME,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }]
    },
    { role: 'editMenu' },
    ...(isPackaged ? [] : [view]),
    { role: 'windowMenu' }
  ]
}
