import { useEntity } from '@backstage/plugin-catalog-react';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { getDataProductSpec } from '../../lib/dataProduct';

/** The DataProduct entity of the current entity page, its spec and its tenant. */
export function useDataProduct() {
  const { entity } = useEntity();
  return {
    entity,
    spec: getDataProductSpec(entity),
    namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
  };
}
