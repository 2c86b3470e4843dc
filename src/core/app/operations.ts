// app.*: the app's own state.
import type { FeatureHandlers } from '../operation'
import type { CoreState } from './state'

export function appHandlers(state: Pick<CoreState, 'status'>) {
  return {
    'app.status': async () => state.status()
  } satisfies FeatureHandlers<'app'>
}
