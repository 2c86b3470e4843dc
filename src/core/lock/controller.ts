// The app lock. With a passcode set, the app starts locked, locks after N idle minutes, on the
// OS lock and on suspend (the shell calls lock()); while locked the host refuses every action
// and every read of the inventory, and what it pushes carries no key or tenant names. Wrong
// passcodes make the next try wait longer (1 s, 2 s, 4 s, ... up to 5 min).
import type { OpOutput } from '../../shared/contract'
import type { Cache } from '../cache'
import type { Log } from '../app/logger'
import type { BiometricPort } from '../ports'
import { accounts, type SecretStore } from '../secrets'
import { AppError } from '../app/errors'
import { hashPasscode, verifyPasscode } from './passcode'

export type LockStatus = OpOutput<'lock.status'>

const IDLE_KEY = 'lock.idleMinutes'
const DEFAULT_IDLE_MINUTES = 15
/** Free tries before the waits begin. */
const FREE_TRIES = 3
const MAX_WAIT_MS = 5 * 60_000

export interface LockDeps {
  secrets: SecretStore
  cache: Pick<Cache, 'getSetting' | 'setSetting'>
  now: () => number
  log: Log
  biometric?: BiometricPort
  /** The lock state changed (the host pushes app.status). */
  changed: () => void
}

export class LockController {
  private enabled = false
  private locked = false
  private lastActivity: number
  private failures = 0
  private retryAt = 0
  private timer: ReturnType<typeof setInterval> | null = null

  private constructor(private readonly deps: LockDeps) {
    this.lastActivity = deps.now()
  }

  /** Reads whether a passcode is set; if so the app starts locked. A keychain that fails leaves it unlocked and says so. */
  static async open(deps: LockDeps): Promise<LockController> {
    const lock = new LockController(deps)
    try {
      lock.enabled = (await deps.secrets.get(accounts.appPasscode)) !== null
    } catch (error) {
      deps.log(`lock: the passcode could not be read from the keychain (${error instanceof Error ? error.message : String(error)}); the app starts unlocked`)
    }
    lock.locked = lock.enabled
    lock.arm()
    return lock
  }

  isLocked(): boolean {
    return this.locked
  }

  status(): LockStatus {
    return {
      enabled: this.enabled,
      locked: this.locked,
      idleMinutes: this.idleMinutes(),
      deviceUnlock: this.enabled && (this.deps.biometric?.available() ?? false),
      retryAt: this.retryAt > this.deps.now() ? new Date(this.retryAt).toISOString() : null
    }
  }

  /** The operator is here: the idle timer starts over. */
  touch(): void {
    this.lastActivity = this.deps.now()
  }

  /** Locks now (idle, the OS lock, suspend, or the operator's choice). Without a passcode there is nothing to lock. */
  lock(why: string): LockStatus {
    if (this.enabled && !this.locked) {
      this.locked = true
      this.deps.log(`lock: locked (${why})`)
      this.deps.changed()
    }
    return this.status()
  }

  async unlock(passcode: string): Promise<LockStatus> {
    if (!this.locked) return this.status()
    const now = this.deps.now()
    if (now < this.retryAt) {
      throw new AppError('locked', `Too many wrong passcodes: try again in ${Math.ceil((this.retryAt - now) / 1000)} seconds.`, true)
    }
    const stored = await this.deps.secrets.get(accounts.appPasscode)
    if (stored === null || !(await verifyPasscode(passcode, stored))) {
      this.failures++
      if (this.failures >= FREE_TRIES) this.retryAt = this.deps.now() + Math.min(MAX_WAIT_MS, 1000 * 2 ** (this.failures - FREE_TRIES))
      this.deps.log(`lock: wrong passcode (${this.failures} in a row)`)
      throw new AppError('locked', 'That passcode is not right. Try again.', true)
    }
    this.opened('passcode')
    return this.status()
  }

  async unlockWithDevice(): Promise<LockStatus> {
    if (!this.locked) return this.status()
    const biometric = this.deps.biometric
    if (!biometric?.available()) throw new AppError('unsupported', 'This computer offers no device unlock here; enter the passcode.')
    if (!(await biometric.verify('unlock Fluxbase Keys'))) throw new AppError('locked', 'The device did not confirm it is you; enter the passcode.', true)
    this.opened('device')
    return this.status()
  }

  /** Sets the passcode, or changes it (the current one is needed then). Turning it on locks nothing yet. */
  async setPasscode(passcode: string, current: string | undefined): Promise<LockStatus> {
    if (this.locked) throw new AppError('locked', 'Unlock the app before changing its passcode.')
    if (this.enabled) await this.requireCurrent(current)
    await this.deps.secrets.set(accounts.appPasscode, await hashPasscode(passcode))
    this.enabled = true
    this.deps.log('lock: passcode set')
    this.deps.changed()
    return this.status()
  }

  async disable(current: string): Promise<LockStatus> {
    if (this.locked) throw new AppError('locked', 'Unlock the app before turning the passcode off.')
    await this.requireCurrent(current)
    await this.deps.secrets.delete(accounts.appPasscode)
    this.enabled = false
    this.deps.log('lock: passcode removed')
    this.deps.changed()
    return this.status()
  }

  setIdleMinutes(minutes: number): LockStatus {
    this.deps.cache.setSetting(IDLE_KEY, minutes)
    return this.status()
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private idleMinutes(): number {
    const v = this.deps.cache.getSetting<unknown>(IDLE_KEY, DEFAULT_IDLE_MINUTES)
    return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : DEFAULT_IDLE_MINUTES
  }

  private async requireCurrent(current: string | undefined): Promise<void> {
    const stored = await this.deps.secrets.get(accounts.appPasscode)
    if (stored !== null && !(current !== undefined && (await verifyPasscode(current, stored)))) {
      throw new AppError('invalid_input', 'The current passcode is not right.')
    }
  }

  private opened(how: string): void {
    this.locked = false
    this.failures = 0
    this.retryAt = 0
    this.touch()
    this.deps.log(`lock: unlocked (${how})`)
    this.deps.changed()
  }

  /** Checks for idleness every few seconds (a timer per minute would drift across sleep). */
  private arm(): void {
    this.timer = setInterval(() => {
      if (this.enabled && !this.locked && this.deps.now() - this.lastActivity >= this.idleMinutes() * 60_000) this.lock('idle')
    }, 5_000)
    this.timer.unref?.()
  }
}
