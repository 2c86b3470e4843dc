// The route table of each profile, and the route key requestCounts() uses.
import type { App } from './app'
import { Router } from './http'
import { registerAuthRoutes } from './routes-auth'
import { registerHealthRoutes, registerTenantRoutes } from './routes-tenants'
import { registerCurrentServiceKeys } from './service-keys-current'
import { registerLegacyServiceKeys } from './service-keys-legacy'
import { registerWhoami } from './whoami'

export function buildRouter(app: App): Router {
  const router = new Router()
  registerHealthRoutes(router, app)
  registerAuthRoutes(router, app)
  if (app.profile === 'current') {
    registerTenantRoutes(router, app)
    registerCurrentServiceKeys(router, app)
  } else {
    registerLegacyServiceKeys(router, app)
  }
  registerWhoami(router, app)
  return router
}

/** `METHOD /pattern` of the matching route (also for a method the path lacks), else `METHOD (unmatched)`. */
export function routeKeyOf(router: Router, method: string, path: string): string {
  const m = router.match(method, path)
  return m.kind === 'found' || m.kind === 'methodNotAllowed' ? m.key : `${method} (unmatched)`
}
