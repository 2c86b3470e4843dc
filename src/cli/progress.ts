// Sync progress from the core's sync.progress events: a bar (cli-progress) when stderr is a
// terminal, otherwise one plain line per tenant, so logs stay readable and carry no control codes.
import { SingleBar } from 'cli-progress'
import type { EventPayload } from '../shared/contract'
import type { Session } from './session'

type Progress = EventPayload<'sync.progress'>

export interface ProgressView {
  update(p: Progress): void
  stop(): void
}

function stateText(state: NonNullable<Progress['current']>['state']): string {
  switch (state.kind) {
    case 'fresh': return 'ok'
    case 'never': return 'not synced'
    case 'stale': return `failed: ${state.reason}`
    case 'needs_login': return `sign-in needed: ${state.reason}`
  }
}

export function progressView(s: Session): ProgressView {
  if (s.quiet) return { update: () => undefined, stop: () => undefined }
  if (s.io.stderr.isTTY) {
    const bar = new SingleBar({
      stream: s.io.stderr,
      format: `Syncing ${s.err.cyan('{bar}')} {value}/{total} tenants  {tenant}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10
    })
    let started = false
    return {
      update(p) {
        const tenant = p.current?.name ?? ''
        if (!started) {
          bar.start(p.total, p.done, { tenant })
          started = true
        } else {
          bar.setTotal(p.total)
          bar.update(p.done, { tenant })
        }
      },
      stop: () => {
        if (started) bar.stop()
      }
    }
  }
  return {
    update(p) {
      if (p.current) s.info(`sync ${p.done}/${p.total} ${p.current.name}: ${stateText(p.current.state)}`)
    },
    stop: () => undefined
  }
}
