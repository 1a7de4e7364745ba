import {
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';

/**
 * For tests: a user info service that gives each user the ownership refs listed for them
 * (`group:akili/<tenant>.<role>`, ...), as a sign-in resolver would have put them in their token;
 * users not listed own only themselves. Pair it with `mockCredentials.user.header(ref)`.
 *
 * @public
 */
export function userInfoFromDirectory(
  directory: Readonly<Record<string, readonly string[]>>,
) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const { userEntityRef } =
          credentials.principal as BackstageUserPrincipal;
        return {
          userEntityRef,
          ownershipEntityRefs: [
            ...(directory[userEntityRef] ?? [userEntityRef]),
          ],
        };
      },
    }),
  });
}
