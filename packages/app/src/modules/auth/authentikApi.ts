import {
  ApiRef,
  BackstageIdentityApi,
  createApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';

/** Sign-in through Authentik, served by the backend's `oidc` auth provider. */
export const authentikAuthApiRef: ApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
> = createApiRef({
  id: 'auth.akili.authentik',
});
