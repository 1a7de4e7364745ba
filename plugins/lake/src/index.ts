/**
 * The Akili lake plugin: the Files tab of data products, the operators' storage page, and the
 * API client of the `lake` backend (files, storage and access agreements).
 *
 * @packageDocumentation
 */
export { lakeApiRef, LakeClient } from './api';
export type { AccessAgreementQuery, LakeApi, LakeListQuery } from './api';
