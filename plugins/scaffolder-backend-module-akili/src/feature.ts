import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { scaffolderModuleAkili } from './module';
import { scaffolderUrlReaderFactories } from './reader/sharedGroupsUrlReader';

/**
 * The module and the scaffolder's URL reader together: what the backend adds.
 *
 * @public
 */
export const scaffolderAkiliFeatures = createBackendFeatureLoader({
  *loader() {
    yield scaffolderModuleAkili;
    yield scaffolderUrlReaderFactories;
  },
});
