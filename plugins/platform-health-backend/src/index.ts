/**
 * Health of the Akili platform's dependencies for operators, and the portal's readiness on the
 * ones it cannot work without.
 *
 * @packageDocumentation
 */
export { platformHealthPlugin as default } from './plugin';
export {
  PlatformReadiness,
  platformReadinessServiceRef,
  platformHealthRootHealthServiceFactory,
} from './readiness';
export type { CriticalDependencyProbe } from './readiness';
export { redactSecrets } from './checks/redact';
