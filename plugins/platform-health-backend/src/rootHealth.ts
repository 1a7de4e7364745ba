/**
 * The portal's root health service as a backend feature, for `backend.add(...)`: Backstage's
 * liveness and readiness, and not ready while a dependency the portal cannot work without
 * (PostgreSQL, probed by the platform health plugin) is down. See
 * `platformHealthRootHealthServiceFactory`.
 *
 * @packageDocumentation
 */
export { platformHealthRootHealthServiceFactory as default } from './readiness';
