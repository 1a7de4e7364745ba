/**
 * Quality of Akili data products in the portal: the Quality tab and card of a data product,
 * the operators' incident queue and incident pages, and the tenant quality dashboard.
 *
 * @packageDocumentation
 */
export { qualityPlugin as default } from './plugin';
export { qualityApiRef, QualityClient } from './api';
export type { IncidentListQuery, QualityApi } from './api';
