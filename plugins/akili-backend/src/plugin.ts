import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

/**
 * The Akili control plane: manifest validation now; the product registry, submission and
 * deployment build on it.
 */
export const akiliPlugin = createBackendPlugin({
  pluginId: 'akili',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
      },
      async init({ httpRouter, httpAuth, logger }) {
        httpRouter.use(await createRouter({ httpAuth, logger }));
      },
    });
  },
});
