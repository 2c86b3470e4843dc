// In-process CPU profile (node:inspector) summarised by where the time went: self time per
// source file (project files, node_modules packages, node internals, GC, idle).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function bucket(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return `node_modules/${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0] ?? ''}`
  }
  const src = url.indexOf('/src/')
  if (src >= 0) return url.slice(src + 1)
  if (url.startsWith('node:')) return 'node internals'
  return url.split('/').slice(-2).join('/')
}

export async function startProfile(): Promise<() => Promise<Array<{ where: string; ms: number; share: number }>>> {
  const session = new Session()
  session.connect()
  const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) =>
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))))
  await post('Profiler.enable')
  await post('Profiler.setSamplingInterval', { interval: 500 })
  await post('Profiler.start')
  return async () => {
    const { profile } = await post<{ profile: Profile }>('Profiler.stop')
    session.disconnect()
    // BENCH_PROFILE_OUT=file.cpuprofile keeps the whole profile (Chrome DevTools opens it).
    if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile))
    const byId = new Map(profile.nodes.map((n) => [n.id, n]))
    const self = new Map<string, number>()
    let total = 0
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)
      const dt = profile.timeDeltas[i] ?? 0
      total += dt
      if (!n) return
      const k = bucket(n.callFrame.url, n.callFrame.functionName)
      self.set(k, (self.get(k) ?? 0) + dt)
    })
    return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([where, us]) => ({ where, ms: us / 1000, share: total > 0 ? us / total : 0 }))
  }
}
