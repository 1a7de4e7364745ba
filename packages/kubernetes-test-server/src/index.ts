/**
 * A Kubernetes API server stand-in for tests: the read paths the Kubernetes backend calls.
 *
 * @packageDocumentation
 */
export { KubernetesTestServer, KUBE_TYPES } from './KubernetesTestServer';
export type {
  KubeObject,
  KubeRequest,
  KubeResourceType,
} from './KubernetesTestServer';
export { parseLabelSelector } from './labelSelector';
export { PRODUCT_LABEL, seedExampleWorkloads } from './seedExampleWorkloads';
export type {
  ExampleProduct,
  SeedExampleWorkloadsOptions,
} from './seedExampleWorkloads';
