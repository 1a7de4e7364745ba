import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { akiliTenantsApiRef } from '../../api';
import { tenantsRouteRef } from '../../routes';
import { fakeTenantsApi } from '../../__testUtils__/fakeTenantsApi';
import { TenantsPage } from './TenantsPage';

// People signing in through Authentik are refs derived from their subject
// (user:default/u-<hash>); the page shows the name they signed in with.
const jane = 'user:default/u-3f2a9c0d5b7e4a1c8d6f0b2e9a7c5d3f1b8e6a4c';

describe('TenantsPage names people', () => {
  it('shows members and audit actors by the name they signed in with, the ref on hover', async () => {
    const api = fakeTenantsApi();
    api.listMembers.mockResolvedValue({
      items: [
        {
          userEntityRef: jane,
          displayName: 'Jane Doe',
          roles: ['operator'],
          firstSeenAt: '2025-03-03T10:00:00Z',
          lastSeenAt: '2025-04-01T10:00:00Z',
        },
      ],
    });
    api.listAuditEntries.mockResolvedValue({
      items: [
        {
          id: '9',
          tenant: 'acme',
          action: 'api-token.issued',
          actor: jane,
          at: '2025-04-01T10:00:00Z',
          details: { tokenId: 'acme.x', name: 'CI' },
        },
      ],
    });
    await renderInTestApp(<TenantsPage />, {
      apis: [[akiliTenantsApiRef, api]],
      mountedRoutes: { '/tenants': tenantsRouteRef },
      mountPath: '/tenants',
      initialRouteEntries: ['/tenants/acme'],
    });

    const members = await screen.findByRole('table', { name: 'Members seen' });
    expect(within(members).getByText('Jane Doe')).toHaveAttribute(
      'title',
      jane,
    );
    const audit = await screen.findByRole('table', { name: 'Audit trail' });
    expect(within(audit).getByText('Jane Doe')).toHaveAttribute('title', jane);
    expect(within(audit).getByText('API token issued')).toBeInTheDocument();
  });
});
