export { lakeApiRef } from './LakeApi';
export type { AccessAgreementQuery, LakeApi, LakeListQuery } from './LakeApi';
export { LakeClient } from './LakeClient';
