// Ports: what the core needs from its host (Electron main, the e2e harness, tests).
// Each shell supplies its own implementation; the core never imports electron.
import type { WarningEvent } from '../shared/contract'

/** The system clipboard. Electron's in main; in the browser harness an in-memory one (named as a fake there). */
export interface ClipboardPort {
  // Electron 45's clipboard is asynchronous; an in-memory one need not be.
  writeText(text: string): Promise<void> | void
  readText(): Promise<string> | string
  clear(): Promise<void> | void
}

/**
 * Desktop notifications (OS level). The host also emits every warning as a 'warning' event
 * for in-app toasts, so a notifier must not forward warnings to the UI itself.
 * Clicking a notification should bring the window up and send the 'key.open' event.
 */
export interface NotifierPort {
  show(warning: WarningEvent): void
}

/** Touch ID or the like, where the shell offers it (Electron on macOS); absent elsewhere. */
export interface BiometricPort {
  available(): boolean
  /** Resolves true when the person confirmed; false when they cancelled or failed. */
  verify(reason: string): Promise<boolean>
}

/** Where exports are written. Electron asks with a save dialog; the harness writes to a temp dir. */
export interface ExportTargetPort {
  /** Returns the chosen path, or null when the operator cancelled. */
  choosePath(suggestedName: string): Promise<string | null>
}

