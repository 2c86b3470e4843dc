// Fault injection: decides, per request, extra latency and at most one failure outcome.
// Rolls use the emulator's seeded PRNG so a run with the same seed and traffic is reproducible.
// Most outcomes act like a faulty network or proxy in front of the server (the server never sees
// the request); `tenantDbDown` acts inside it: TenantDBMiddleware fails to open the tenant's
// database and answers 500 `tenant database unavailable` before authentication.
import type { Prng } from './prng'

export type FaultKind =
  | 'latency' | 'status429' | 'status500' | 'status503' | 'reset' | 'truncated' | 'malformed' | 'slowBody' | 'tenantDbDown'

export interface FaultRule {
  method?: string
  path?: string
  kind: FaultKind
  rate?: number
  count?: number
  latencyMs?: number
  jitterMs?: number
  retryAfterSeconds?: number
  /** tenantDbDown only: the tenant (id) whose database fails; any tenant with its own DB when absent. */
  tenantId?: string
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency', 'status429', 'status500', 'status503', 'reset', 'truncated', 'malformed', 'slowBody', 'tenantDbDown'
]

interface ActiveRule {
  rule: FaultRule
  re: RegExp | undefined
  remaining: number
}

export interface FaultDecision {
  delayMs: number
  /** The first non-latency rule that fired, if any. */
  outcome?: FaultRule
}

export const DEFAULT_FAULT_LATENCY_MS = 200

export class FaultEngine {
  private rules: ActiveRule[] = []

  constructor(private readonly prng: Prng) {}

  /** Replaces all rules; throws a readable Error on an invalid rule (nothing changes then). */
  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((r, i) => compile(r, i))
  }

  get activeCount(): number {
    return this.rules.filter((r) => r.remaining > 0).length
  }

  decide(method: string, path: string): FaultDecision {
    const d: FaultDecision = { delayMs: 0 }
    for (const a of this.rules) {
      if (a.remaining <= 0) continue
      const { rule } = a
      if (rule.method && rule.method.toUpperCase() !== method) continue
      if (a.re && !a.re.test(path)) continue
      if (rule.kind === 'tenantDbDown') continue // decided by the tenant-db middleware
      if (rule.kind !== 'latency' && d.outcome) continue
      const rate = rule.rate ?? 1
      if (rate < 1 && !(this.prng.next() < rate)) continue
      a.remaining--
      if (rule.kind === 'latency') d.delayMs += this.latency(rule, DEFAULT_FAULT_LATENCY_MS)
      else d.outcome = rule
    }
    return d
  }

  /**
   * Whether a tenantDbDown rule fires for this request, which has resolved to a tenant with its
   * own database (a firing rule spends one of its `count`).
   */
  tenantDbDown(method: string, path: string, tenantId: string): boolean {
    for (const a of this.rules) {
      const { rule } = a
      if (rule.kind !== 'tenantDbDown' || a.remaining <= 0) continue
      if (rule.method && rule.method.toUpperCase() !== method) continue
      if (a.re && !a.re.test(path)) continue
      if (rule.tenantId !== undefined && rule.tenantId.toLowerCase() !== tenantId) continue
      const rate = rule.rate ?? 1
      if (rate < 1 && !(this.prng.next() < rate)) continue
      a.remaining--
      return true
    }
    return false
  }

  /** latencyMs ± uniform jitter, never negative. */
  latency(rule: FaultRule, fallback: number): number {
    const base = rule.latencyMs ?? fallback
    const j = rule.jitterMs ?? 0
    return Math.max(0, Math.round(base + (j > 0 ? (this.prng.next() * 2 - 1) * j : 0)))
  }
}

function compile(r: unknown, i: number): ActiveRule {
  if (typeof r !== 'object' || r === null) throw new Error(`fault rule ${i}: not an object`)
  const rule = r as FaultRule
  if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`fault rule ${i}: kind must be one of ${FAULT_KINDS.join(', ')}`)
  const num = (k: keyof FaultRule, min: number, max = Number.POSITIVE_INFINITY): void => {
    const v = rule[k]
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)) {
      throw new Error(`fault rule ${i}: ${k} must be a number in [${min}, ${max}]`)
    }
  }
  num('rate', 0, 1)
  num('count', 0)
  num('latencyMs', 0)
  num('jitterMs', 0)
  num('retryAfterSeconds', 0)
  if (rule.method !== undefined && typeof rule.method !== 'string') throw new Error(`fault rule ${i}: method must be a string`)
  if (rule.tenantId !== undefined && typeof rule.tenantId !== 'string') throw new Error(`fault rule ${i}: tenantId must be a string`)
  let re: RegExp | undefined
  if (rule.path !== undefined) {
    if (typeof rule.path !== 'string') throw new Error(`fault rule ${i}: path must be a RegExp source string`)
    try {
      re = new RegExp(rule.path)
    } catch {
      throw new Error(`fault rule ${i}: path is not a valid RegExp`)
    }
  }
  return { rule: { ...rule }, re, remaining: rule.count ?? Number.POSITIVE_INFINITY }
}
