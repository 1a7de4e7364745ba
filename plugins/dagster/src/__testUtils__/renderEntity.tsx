import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { dagsterRunsApiRef } from '../api';
import { runRouteRef } from '../routes';
import type { FakeRunsApi } from './fakeRunsApi';

/** The orders data product of the acme tenant. */
export const ordersEntity: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme', title: 'Shop orders' },
  spec: { type: 'source-aligned', owner: 'sales-analytics' },
};

/** Renders entity page content for `entity` with the fake runs API. */
export function renderForEntity(
  element: JSX.Element,
  api: FakeRunsApi,
  entity: Entity = ordersEntity,
  initialRouteEntries?: string[],
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      initialRouteEntries,
      apis: [catalogApiMock({ entities: [entity] }), [dagsterRunsApiRef, api]],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/runs/:runId': runRouteRef,
      },
    },
  );
}
