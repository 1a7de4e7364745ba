export { qualityApiRef } from './QualityApi';
export type { IncidentListQuery, QualityApi } from './QualityApi';
export { QualityClient } from './QualityClient';
