import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AkiliPermissionPolicy } from './policy';

/**
 * Installs the Akili tenant permission policy in the permission backend.
 *
 * @public
 */
export const permissionModuleAkiliPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'akili-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
      },
      async init({ policy, userInfo, logger }) {
        policy.setPolicy(new AkiliPermissionPolicy({ userInfo, logger }));
      },
    });
  },
});
