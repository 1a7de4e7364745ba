import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import plugin from './index';
import { dataProductQueryContent, queryPage } from './plugin';
import { starrocksQueryApiRef } from './api';
import { QueryContent } from './components/QueryContent';
import { fakeQueryApi } from './__testUtils__/fakeQueryApi';

const orders: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme' },
  spec: {
    outputPorts: [
      {
        name: 'orders',
        title: 'Orders',
        kind: 'table',
        location: { table: { database: 'acme_sales', table: 'orders' } },
        schema: [],
      },
      {
        name: 'lines',
        kind: 'table',
        location: {
          table: {
            catalog: 'iceberg_acme',
            database: 'sales',
            table: 'order_lines',
          },
        },
        schema: [],
      },
      {
        name: 'events',
        kind: 'topic',
        location: { kafka: { topic: 'acme.orders' } },
        schema: [],
      },
    ],
  },
};

describe('starrocks plugin', () => {
  it('provides the extensions under their documented ids', () => {
    expect(plugin.id).toBe('starrocks');
    for (const id of [
      'api:starrocks/query',
      'page:starrocks',
      'entity-content:starrocks/query',
    ] as const) {
      expect(createExtensionTester(plugin.getExtension(id)).snapshot().id).toBe(
        id,
      );
    }
  });

  it('mounts the Query page at /query as a sidebar item', () => {
    const page = createExtensionTester(queryPage);
    expect(page.get(coreExtensionData.routePath)).toBe('/query');
    expect(page.get(coreExtensionData.title)).toBe('Query');
  });

  it('adds the Query tab to DataProduct entities only', () => {
    const tester = createExtensionTester(dataProductQueryContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('query');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(orders)).toBe(true);
    expect(filter?.({ ...orders, kind: 'Component' })).toBe(false);
  });

  it("offers a starter query per table port and opens the first in the product's tenant", async () => {
    const api = fakeQueryApi();
    renderInTestApp(
      <EntityProvider entity={orders}>
        <QueryContent />
      </EntityProvider>,
      { apis: [[starrocksQueryApiRef, api], mockApis.storage()] },
    );
    const content = await screen.findByRole('textbox', { name: 'SQL' });
    const view = EditorView.findFromDOM(content)!;
    expect(view.state.doc.toString()).toBe(
      'SELECT * FROM acme_sales.orders LIMIT 100',
    );
    expect(api.getSchema).toHaveBeenCalledWith('acme');
    expect(screen.getByRole('button', { name: 'Orders' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'events' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'lines' }));
    await waitFor(() =>
      expect(view.state.doc.toString()).toBe(
        'SELECT * FROM iceberg_acme.sales.order_lines LIMIT 100',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(api.queries).toHaveLength(1));
    expect(api.queries[0]).toMatchObject({
      tenant: 'acme',
      sql: 'SELECT * FROM iceberg_acme.sales.order_lines LIMIT 100',
    });
  });
});
