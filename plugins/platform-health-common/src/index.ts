/**
 * Types and permissions shared by the Akili platform health plugins
 * (`@akili/plugin-platform-health-backend` and `@akili/plugin-platform-health`): the platform's
 * dependencies, their status and history, and the shapes of the REST API
 * (`/api/platform-health/v1/...`).
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './api';
