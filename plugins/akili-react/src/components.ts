/**
 * The shared components of the Akili frontend plugins that are built on
 * `@backstage/core-components`, which needs a browser to load: the error panel, the states
 * of a tenant page, and the notice of a platform dependency that is down. Kept out of the main
 * entry point so API clients load in Node.
 *
 * @packageDocumentation
 */
export { PluginErrorPanel } from './PluginErrorPanel';
export type {
  PluginErrorCase,
  PluginErrorPanelProps,
} from './PluginErrorPanel';
export { TenantGate } from './TenantGate';
export type { TenantGateProps } from './TenantGate';
export { DependencyNotice } from './DependencyNotice';
export type { DependencyNoticeProps } from './DependencyNotice';
