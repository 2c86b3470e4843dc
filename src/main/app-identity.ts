// Who the app is to the operating system. build/electron-builder.yml must say the same
// (test/main/builder-config.test.ts checks it): on Windows the AppUserModelID (= appId) is the
// identity notifications are shown under; on Linux the desktop name ties the window (WM_CLASS /
// Wayland app_id) to the installed .desktop entry.
export const APP_ID = 'dev.fluxbase.keys'
export const PRODUCT_NAME = 'Fluxbase Keys'
/** `<linux.executableName>.desktop`: the file name electron-builder installs the entry under. */
export const LINUX_DESKTOP_NAME = 'fluxbase-keys.desktop'
/** Files in resources/ that main loads by name (packaged: process.resourcesPath/<name>). */
export const WINDOW_ICON = 'icon.png'
export const TRAY_ICON = 'tray.png'
