import type { ClipboardPort } from '../../src/core/ports'

/**
 * A FAKE clipboard, standing in for Electron's at the one boundary that cannot run on these
 * machines. Tests read it back to prove copy and clear-after-delay.
 */
export class InMemoryClipboard implements ClipboardPort {
  private text = ''
  writeText(text: string): void {
    this.text = text
  }
  readText(): string {
    return this.text
  }
  clear(): void {
    this.text = ''
  }
}
