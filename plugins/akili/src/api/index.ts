export { akiliTenantsApiRef } from './AkiliTenantsApi';
export type { AkiliTenantsApi } from './AkiliTenantsApi';
export { AkiliTenantsClient } from './AkiliTenantsClient';
