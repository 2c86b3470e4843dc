// Leak scanner: no issued key value, admin password or token may appear in the DOM, the
// console, web storage, IndexedDB names or any IPC payload handed to the page.
import type { Page } from '@playwright/test'
import type { HarnessRun } from './harness'

export interface LeakFinding {
  where: string
  /** A short, redacted hint of which secret (never the secret itself). */
  secret: string
}

const redact = (s: string) => `${s.slice(0, 4)}…(${s.length} chars)`

async function pageSurfaces(page: Page): Promise<Record<string, string>> {
  const dom = await page.content()
  // A string, evaluated in the page: this file is type-checked without the DOM lib.
  const storage = await page.evaluate(`(async () => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => { const k = s.key(i) || ''; return k + '=' + (s.getItem(k) || '') }).join('\\n');
    let idb = '';
    try { idb = (await indexedDB.databases()).map((d) => d.name || '').join('\\n') } catch { idb = '' }
    return { local: dump(localStorage), session: dump(sessionStorage), idb };
  })()`) as { local: string; session: string; idb: string }
  return { 'DOM (page.content())': dom, localStorage: storage.local, sessionStorage: storage.session, 'IndexedDB names': storage.idb }
}

export class LeakScanner {
  private readonly extra = new Set<string>()
  private readonly allowed = new Set<string>()
  constructor(private readonly run: HarnessRun) {}

  /** Adds a secret the keychain does not hold (e.g. a password typed into the form). */
  track(secret: string): void {
    if (secret) this.extra.add(secret)
  }

  /** The unsaved-value fallback: this one value is allowed to be shown. */
  allow(secret: string): void {
    this.allowed.add(secret)
  }

  secrets(): string[] {
    const all = new Set([...this.run.secrets.secretsSeen(), ...this.extra])
    const creds = this.run.emulator?.credentials
    if (creds) {
      all.add(creds.instanceAdmin.password)
      all.add(creds.tenantAdmin.password)
    }
    return [...all].filter((s) => s.length >= 8 && !this.allowed.has(s))
  }

  async scan(): Promise<LeakFinding[]> {
    await this.run.bridge.flush()
    const surfaces: Record<string, string> = {
      ...(this.run.page.isClosed() ? {} : await pageSurfaces(this.run.page)),
      console: this.run.consoleLines.join('\n')
    }
    this.run.bridge.records.forEach((r, i) => {
      surfaces[`IPC ${r.kind} #${i} ${r.name}`] = r.json
    })
    const findings: LeakFinding[] = []
    for (const secret of this.secrets()) {
      for (const [where, text] of Object.entries(surfaces)) {
        if (text.includes(secret)) findings.push({ where, secret: redact(secret) })
      }
    }
    return findings
  }

  /** Throws with a readable list when anything leaked. */
  async assertClean(): Promise<void> {
    const findings = await this.scan()
    if (findings.length > 0) {
      throw new Error(`Secrets reached the page:\n${findings.map((f) => `  - ${f.secret} in ${f.where}`).join('\n')}`)
    }
  }
}
