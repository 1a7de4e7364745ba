import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { qualityApiRef } from '../api';
import { incidentRouteRef, incidentsRouteRef } from '../routes';
import type { FakeQualityApi } from './fakeQualityApi';

/** The orders data product of the acme tenant. */
export const ordersEntity: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme', title: 'Shop orders' },
  spec: { type: 'source-aligned', owner: 'sales-analytics' },
};

/** The routes the quality views link to. */
export const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': entityRouteRef,
  '/incidents': incidentsRouteRef,
  '/incidents/:tenant/:incidentId': incidentRouteRef,
};

/** Renders entity page content for `entity` with the fake quality API. */
export function renderForEntity(
  element: JSX.Element,
  api: FakeQualityApi,
  entity: Entity = ordersEntity,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [catalogApiMock({ entities: [entity] }), [qualityApiRef, api]],
      mountedRoutes,
    },
  );
}
