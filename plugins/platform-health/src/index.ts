/**
 * The Platform health page of the Akili portal, for operators and platform admins.
 *
 * @packageDocumentation
 */
export { platformHealthPlugin as default } from './plugin';
export { platformHealthRouteRef } from './routes';
export { platformHealthApiRef, PlatformHealthClient } from './api';
export type { PlatformHealthApi } from './api';
