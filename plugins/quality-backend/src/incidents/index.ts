export { IncidentStore, QUALITY_ACTOR } from './IncidentStore';
export type {
  IncidentListState,
  IncidentResponseTimes,
  IncidentRun,
} from './IncidentStore';
export { createIncidentsRouter } from './router';
export { incidentLink, notifyIncidentOwners } from './notifyIncidentOwners';
export { startIncidentWatch, watchIncidentsOnce } from './startIncidentWatch';
