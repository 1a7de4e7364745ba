import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { InputPort } from '@akili/plugin-akili-common';
import useAsync from 'react-use/esm/useAsync';
import { getDataProductSpec, resolveUpstreamRef } from '../../lib/dataProduct';

/** What the catalog knows of the upstream product of one input port. */
export type UpstreamStatus =
  | { state: 'external' }
  | { state: 'invalid'; text: string }
  | { state: 'unknown'; ref: string }
  | { state: 'unresolved'; ref: string }
  | { state: 'resolved'; ref: string; entity: Entity; portExists: boolean };

/**
 * Looks the upstream products of the input ports up in the catalog, in one request.
 * A product missing from the catalog is `unresolved`; when the catalog cannot be asked,
 * each is `unknown` and `error` says why.
 */
export function useUpstreamProducts(
  inputPorts: InputPort[],
  namespace: string,
) {
  const catalogApi = useApi(catalogApiRef);
  const refs = inputPorts.map(port =>
    port.product ? resolveUpstreamRef(port.product, namespace) : undefined,
  );
  const wanted = [...new Set(refs.filter((r): r is string => !!r))];
  const key = wanted.join(',');

  const { value, loading, error } = useAsync(async () => {
    if (wanted.length === 0) {
      return new Map<string, Entity | undefined>();
    }
    const response = await catalogApi.getEntitiesByRefs({
      entityRefs: wanted,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.outputPorts',
      ],
    });
    return new Map(wanted.map((ref, i) => [ref, response.items[i]]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);

  const statuses: UpstreamStatus[] = inputPorts.map((port, i) => {
    if (!port.product) {
      return { state: 'external' };
    }
    const ref = refs[i];
    if (!ref) {
      return { state: 'invalid', text: port.product };
    }
    if (!value) {
      return { state: 'unknown', ref };
    }
    const entity = value.get(ref);
    if (!entity) {
      return { state: 'unresolved', ref };
    }
    const portExists =
      !port.port ||
      getDataProductSpec(entity).outputPorts.some(p => p.name === port.port);
    return { state: 'resolved', ref, entity, portExists };
  });

  return { statuses, loading, error };
}
