import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';

/** Renders entity page content for `entity`, with a catalog holding `catalog`. */
export function renderForEntity(
  element: JSX.Element,
  entity: Entity,
  options: { catalog?: Entity[]; apis?: any[] } = {},
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        catalogApiMock({ entities: options.catalog ?? [entity] }),
        ...(options.apis ?? []),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
