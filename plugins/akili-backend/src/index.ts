/**
 * The Akili control plane backend plugin.
 *
 * @packageDocumentation
 */
export { akiliPlugin as default } from './plugin';
