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
