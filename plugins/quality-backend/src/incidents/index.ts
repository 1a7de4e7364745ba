export { IncidentStore, QUALITY_ACTOR } from './IncidentStore';
export type {
  IncidentListState,
  IncidentResponseTimes,
  IncidentRun,
} from './IncidentStore';
export { addIncidentRoutes } from './router';
export type { QualityApiRouter } from './router';
export { incidentLink, notifyIncidentOwners } from './notifyIncidentOwners';
export { startIncidentWatch, watchIncidentsOnce } from './startIncidentWatch';
