// The renderer's view of the preload's `window.api` (tsconfig.web.json includes this file).
import type { Api } from '../shared/contract'

declare global {
  interface Window {
    readonly api: Api
  }
}

export {}
