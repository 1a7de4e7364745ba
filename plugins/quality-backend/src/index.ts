/**
 * The quality backend of Akili (`/api/quality`): check results, scores, freshness, trends,
 * dashboards and incidents of data products, isolated per tenant.
 *
 * @packageDocumentation
 */
export { qualityPlugin as default } from './plugin';
