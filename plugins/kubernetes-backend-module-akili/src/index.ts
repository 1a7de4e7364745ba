/**
 * Kubernetes for Akili tenants: namespaces bound to tenants, workloads only of the caller's
 * tenant.
 *
 * @packageDocumentation
 */

export { kubernetesModuleAkili as default } from './module';
export {
  TenantNamespaces,
  DEFAULT_NAMESPACE_PATTERN,
} from './TenantNamespaces';
export {
  kubernetesPodLogsReadPermission,
  DEFAULT_TAIL_LINES,
  MAX_TAIL_LINES,
} from './podLogs/router';
export type { PodLogsResponse } from './podLogs/router';
