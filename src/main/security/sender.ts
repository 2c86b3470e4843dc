// The IPC sender check. Pure: the Electron objects are described by the few fields we read.
import type { ApiError, Result } from '../../shared/contract'
import { isTrustedUrl } from './app-origin'

/** The fields of Electron's WebFrameMain that identify a frame. */
export interface FrameLike {
  readonly url: string
  readonly processId: number
  readonly routingId: number
  readonly parent: unknown
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string }

/**
 * A request is trusted only when it comes from the main frame of OUR window (same process and
 * routing id as `expectedMainFrame`, no parent) and that frame currently shows our app origin.
 * Subframes, other windows, and a window that navigated away are all refused.
 */
export function checkSender(
  senderFrame: FrameLike | null | undefined,
  expectedMainFrame: FrameLike | null | undefined,
  origins: readonly string[]
): SenderVerdict {
  if (!senderFrame) return { ok: false, reason: 'no sender frame (it navigated or was destroyed)' }
  if (!expectedMainFrame) return { ok: false, reason: 'the app window is not open' }
  if (senderFrame.parent) return { ok: false, reason: 'sent from a subframe' }
  if (senderFrame.processId !== expectedMainFrame.processId || senderFrame.routingId !== expectedMainFrame.routingId) {
    return { ok: false, reason: 'sent from a frame that is not the app window' }
  }
  if (!isTrustedUrl(senderFrame.url, origins)) return { ok: false, reason: 'sent from a page outside the app origin' }
  return { ok: true }
}

export const FORBIDDEN_ERROR: ApiError = {
  code: 'forbidden',
  message: 'This request did not come from the Fluxbase Keys window, so it was refused. Restart the app if this keeps happening.',
  retryable: false
}

export function forbidden(): Result<never> {
  return { ok: false, error: FORBIDDEN_ERROR }
}
