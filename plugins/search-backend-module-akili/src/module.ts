import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogCollatorExtensionPoint } from '@backstage/plugin-search-backend-module-catalog';
import { dataProductEntityTransformer } from './transformer';

/** Makes the catalog collator index data products with their ports and columns. */
export const searchModuleAkili = createBackendModule({
  pluginId: 'search',
  moduleId: 'akili-data-products',
  register(reg) {
    reg.registerInit({
      deps: { collator: catalogCollatorExtensionPoint },
      async init({ collator }) {
        collator.setEntityTransformer(dataProductEntityTransformer);
      },
    });
  },
});
