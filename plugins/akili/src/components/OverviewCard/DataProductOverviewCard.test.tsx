import { screen } from '@testing-library/react';
import { clickstreamEntity, ordersEntity } from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { DataProductOverviewCard } from './DataProductOverviewCard';

const fact = (label: string) => screen.getByText(label).nextElementSibling;

describe('DataProductOverviewCard', () => {
  it('shows what the product is, who owns it and how it is built', async () => {
    await renderForEntity(<DataProductOverviewCard />, ordersEntity);
    await screen.findByText('Data product');

    expect(fact('Type')).toHaveTextContent('source-aligned');
    expect(fact('Lifecycle')).toHaveTextContent('production');
    expect(fact('Version')).toHaveTextContent('1.2.0');
    expect(fact('Tenant')).toHaveTextContent('acme');
    expect(fact('Schedule')).toHaveTextContent('daily at 02:30 Europe/Berlin');
    expect(fact('Transformation')).toHaveTextContent('SQL · models/orders.sql');
    expect(fact('Dagster')).toHaveTextContent('acme_orders · job orders_job');
    expect(fact('Dagster')).toHaveTextContent('sales/orders');
    expect(fact('Support')).toHaveTextContent('#acme-orders');
    expect(fact('Team')).toHaveTextContent('(owner)');
    expect(fact('Tags')).toHaveTextContent('revenue');

    const ownerLink = fact('Owner')?.querySelector('a');
    expect(ownerLink).toHaveAttribute(
      'href',
      '/catalog/acme/group/sales-analytics',
    );
    expect(fact('Domain')?.querySelector('a')).toHaveAttribute(
      'href',
      '/catalog/default/domain/sales',
    );
  });

  it('says "not set" for what the manifest leaves out', async () => {
    await renderForEntity(<DataProductOverviewCard />, clickstreamEntity);
    await screen.findByText('Data product');
    expect(fact('Version')).toHaveTextContent('not set');
    expect(fact('Schedule')).toHaveTextContent('not set');
    expect(fact('Team')).toHaveTextContent('not set');
    // Without relations, the owner falls back to spec.owner, a team of the product's tenant.
    expect(fact('Owner')?.querySelector('a')).toHaveAttribute(
      'href',
      '/catalog/globex/group/web',
    );
  });
});
