// The "keep out of clipboard history" markers a copied value carries (src/main/security/clipboard-hints.ts).
import { describe, expect, it } from 'vitest'
import { concealedClipboardPayload, rawFormat } from '../../src/main/security/clipboard-hints'

const bytes = async (payload: string | Blob): Promise<number[]> =>
  typeof payload === 'string' ? [...new TextEncoder().encode(payload)] : [...new Uint8Array(await payload.arrayBuffer())]

describe('concealedClipboardPayload', () => {
  it('Windows: excluded from monitors, history and the cloud clipboard (DWORD 0 for the two flags)', async () => {
    const payload = concealedClipboardPayload('sk_live_x', 'win32')
    expect(Object.keys(payload).sort()).toEqual([
      rawFormat('CanIncludeInClipboardHistory'), rawFormat('CanUploadToCloudClipboard'),
      rawFormat('ExcludeClipboardContentFromMonitorProcessing'), 'text/plain'
    ].sort())
    expect(payload['text/plain']).toBe('sk_live_x')
    expect(await bytes(payload[rawFormat('CanIncludeInClipboardHistory')]!)).toEqual([0, 0, 0, 0])
    expect(await bytes(payload[rawFormat('CanUploadToCloudClipboard')]!)).toEqual([0, 0, 0, 0])
    // "Place any data in this format": present, and not the value.
    expect((await bytes(payload[rawFormat('ExcludeClipboardContentFromMonitorProcessing')]!)).length).toBeGreaterThan(0)
  })

  it('macOS: the nspasteboard.org concealed type', () => {
    expect(concealedClipboardPayload('sk_live_x', 'darwin')).toEqual({ 'text/plain': 'sk_live_x', [rawFormat('org.nspasteboard.ConcealedType')]: '' })
  })

  it('Linux (X11 and Wayland): the KDE password-manager hint, "secret"', () => {
    expect(concealedClipboardPayload('sk_live_x', 'linux')).toEqual({ 'text/plain': 'sk_live_x', [rawFormat('x-kde-passwordManagerHint')]: 'secret' })
    expect(concealedClipboardPayload('sk_live_x', 'freebsd')).toEqual(concealedClipboardPayload('sk_live_x', 'linux'))
  })

  it('names raw formats the way Electron expects them', () => {
    expect(rawFormat('x-kde-passwordManagerHint')).toBe('electron application/osclipboard;format="x-kde-passwordManagerHint"')
  })

  it('never puts the value in a marker', async () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const payload = concealedClipboardPayload('sk_live_secret_value', platform)
      for (const [type, value] of Object.entries(payload)) {
        if (type === 'text/plain') continue
        expect(new TextDecoder().decode(new Uint8Array(await bytes(value))), `${platform} ${type}`).not.toContain('sk_live')
      }
    }
  })
})
