/**
 * The Akili lake plugin: the Files tab of data products (folders, previews masked as the query
 * API masks, audited downloads), the operators' Storage page, and the API client of the `lake`
 * backend (files, storage and access agreements).
 *
 * @packageDocumentation
 */
export {
  agreementsRouteRef,
  lakePlugin as default,
  storageRouteRef,
} from './plugin';
export { lakeApiRef, LakeClient } from './api';
export type { AccessAgreementQuery, LakeApi, LakeListQuery } from './api';
