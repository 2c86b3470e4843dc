// What a copied key value carries besides its text: the markers password managers put on the
// clipboard so that clipboard history, cloud clipboards and clipboard managers leave it alone.
// Pure (a record of MIME type -> payload for Electron's ClipboardItem), so it is unit-tested;
// shell.ts writes it with clipboard.write, which commits every format of one item atomically
// (writeText followed by writeBuffer would replace the text, not add to it).
//
//   Windows  ExcludeClipboardContentFromMonitorProcessing (any data): kept out of clipboard
//            history (Win+V), cloud sync and the monitors that honour it; plus
//            CanIncludeInClipboardHistory = 0 and CanUploadToCloudClipboard = 0 (DWORD), the two
//            flags older Windows 10 builds read.
//   macOS    org.nspasteboard.ConcealedType (nspasteboard.org): clipboard managers such as Maccy,
//            Alfred and Raycast skip or hide concealed items.
//   Linux    x-kde-passwordManagerHint = "secret": Klipper (KDE) does not record it; KeePassXC
//            sets the same hint, and several wl-clipboard history tools honour it.

/** Electron's custom format for a raw platform clipboard format. */
export const rawFormat = (name: string): string => `electron application/osclipboard;format="${name}"`

const DWORD_ZERO = (): Blob => new Blob([new Uint8Array(4)])

export type ClipboardPayload = Record<string, string | Blob>

/** The formats one copied secret is written with on `platform`. */
export function concealedClipboardPayload(text: string, platform: NodeJS.Platform): ClipboardPayload {
  const payload: ClipboardPayload = { 'text/plain': text }
  switch (platform) {
    case 'win32':
      payload[rawFormat('ExcludeClipboardContentFromMonitorProcessing')] = new Blob([new Uint8Array(1)])
      payload[rawFormat('CanIncludeInClipboardHistory')] = DWORD_ZERO()
      payload[rawFormat('CanUploadToCloudClipboard')] = DWORD_ZERO()
      break
    case 'darwin':
      payload[rawFormat('org.nspasteboard.ConcealedType')] = ''
      break
    default:
      // Linux and the BSDs: X11 and Wayland clipboards, where the KDE hint is the convention.
      payload[rawFormat('x-kde-passwordManagerHint')] = 'secret'
  }
  return payload
}
