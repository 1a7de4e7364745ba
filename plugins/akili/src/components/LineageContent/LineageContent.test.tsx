import { screen, waitFor, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  DefaultCatalogGraphApi,
  catalogGraphApiRef,
} from '@backstage/plugin-catalog-graph';
import {
  clickstreamEntity,
  ordersDailyEntity,
  ordersEntity,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { LineageContent } from './LineageContent';

describe('LineageContent', () => {
  // jsdom does not lay out SVG; the dependency graph measures its nodes and labels.
  beforeAll(() => {
    Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
      value: () => ({ x: 0, y: 0, width: 120, height: 30 }),
      configurable: true,
    });
  });

  it('lists upstream and downstream products from the entity relations', async () => {
    await renderForEntity(<LineageContent />, ordersEntity, {
      catalog: [ordersEntity, ordersDailyEntity],
    });
    const downstream = await screen.findByRole('list', {
      name: 'Downstream products',
    });
    expect(within(downstream).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/acme/dataproduct/orders-daily',
    );
    expect(screen.getByText(/No upstream data products/)).toBeInTheDocument();
  });

  it('lists upstream products of a derived product', async () => {
    await renderForEntity(<LineageContent />, ordersDailyEntity, {
      catalog: [ordersEntity, ordersDailyEntity],
    });
    const upstream = await screen.findByRole('list', {
      name: 'Upstream products',
    });
    expect(within(upstream).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/acme/dataproduct/orders',
    );
    expect(
      screen.getByText('No data product reads this one yet.'),
    ).toBeInTheDocument();
  });

  it('explains that the graph needs the catalog graph plugin', async () => {
    await renderForEntity(<LineageContent />, clickstreamEntity);
    expect(
      await screen.findByText(/catalog graph plugin is not installed/),
    ).toBeInTheDocument();
  });

  it('draws upstream, downstream and domain, but not owners, in the graph', async () => {
    const domain: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'sales', namespace: 'default', title: 'Sales' },
      spec: { owner: 'akili-platform' },
      relations: [{ type: 'hasPart', targetRef: 'dataproduct:acme/orders' }],
    };
    const group: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'acme-sales-analytics', namespace: 'default' },
      spec: { type: 'team', children: [] },
      relations: [{ type: 'ownerOf', targetRef: 'dataproduct:acme/orders' }],
    };
    await renderForEntity(<LineageContent />, ordersEntity, {
      catalog: [ordersEntity, ordersDailyEntity, domain, group],
      apis: [[catalogGraphApiRef, new DefaultCatalogGraphApi()]],
    });
    const graphText = () =>
      Array.from(document.querySelectorAll('svg text')).map(n => n.textContent);
    await waitFor(() =>
      expect(graphText()).toEqual(
        expect.arrayContaining([
          'Shop orders',
          'Daily orders',
          'Sales',
          'dependencyOf / dependsOn',
        ]),
      ),
    );
    expect(graphText().join(' ')).not.toContain('acme-sales-analytics');
    expect(
      screen.queryByText(/catalog graph plugin is not installed/),
    ).not.toBeInTheDocument();
  });
});
