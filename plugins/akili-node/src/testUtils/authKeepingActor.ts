import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * For tests: the mock auth service, keeping the calling plugin (the `actor`) in on-behalf-of
 * tokens as the real auth service does. The mock drops it, so the permission backend would take
 * a plugin's calls for a user's own requests and refuse their resource-less conditional queries
 * (the catalog's, the scaffolder's).
 *
 * @public
 */
export const authKeepingActor = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const issue = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options =>
      auth.isPrincipal(options.onBehalfOf, 'user')
        ? {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${plugin.getId()}` } },
            ),
          }
        : issue(options);
    return auth;
  },
});
