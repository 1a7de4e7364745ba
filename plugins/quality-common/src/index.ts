/**
 * Types shared by the Akili quality plugins (`@akili/plugin-quality-backend` and
 * `@akili/plugin-quality`): check results, the score and status of a data product, freshness,
 * incidents, and the shapes of the quality REST API (`/api/quality/v1/...`).
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './model';
export * from './score';
export * from './api';
