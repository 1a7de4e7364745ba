import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { akiliTenantsApiRef } from '../../api';
import { tenantsRouteRef } from '../../routes';
import {
  acmeTenant,
  fakeTenantsApi,
  memberIdentity,
  responseError,
} from '../../__testUtils__/fakeTenantsApi';
import { TenantsPage } from './TenantsPage';

function render(
  api: ReturnType<typeof fakeTenantsApi>,
  url: string = '/tenants',
) {
  return renderInTestApp(<TenantsPage />, {
    apis: [[akiliTenantsApiRef, api]],
    mountedRoutes: { '/tenants': tenantsRouteRef },
    mountPath: '/tenants',
    initialRouteEntries: [url],
  });
}

const rowOf = (name: string) =>
  screen.getByRole('link', { name }).closest('tr') as HTMLElement;

describe('TenantsPage list', () => {
  it('lists tenants with status, suspension reason, members and quotas', async () => {
    render(fakeTenantsApi());

    expect(await screen.findByRole('link', { name: 'acme' })).toHaveAttribute(
      'href',
      '/tenants/acme',
    );
    expect(screen.getByText('2 tenants')).toBeInTheDocument();

    const acme = rowOf('acme');
    expect(within(acme).getByText('ACME Corp')).toBeInTheDocument();
    expect(within(acme).getByText('Active')).toBeInTheDocument();
    expect(within(acme).getByText('2')).toBeInTheDocument();
    expect(
      within(acme).getByText('10,000 rows per query, 4 concurrent queries'),
    ).toBeInTheDocument();

    const globex = rowOf('globex');
    expect(within(globex).getByText('Suspended')).toBeInTheDocument();
    expect(
      within(globex).getByText('Reason: Contract ended'),
    ).toBeInTheDocument();
    expect(
      within(globex).getByText('500 rows per query, 1 concurrent query'),
    ).toBeInTheDocument();
  });

  it('filters by search text and status, kept in the URL', async () => {
    // A shared link: the suspended tenants.
    render(fakeTenantsApi(), '/tenants?status=suspended');
    expect(await screen.findByRole('link', { name: 'globex' })).toBeVisible();
    expect(
      screen.queryByRole('link', { name: 'acme' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('1 of 2 tenants')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Status/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'All' }));
    expect(await screen.findByRole('link', { name: 'acme' })).toBeVisible();
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search tenants' }),
      'corp',
    );
    // "ACME Corp" is acme's title.
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'globex' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'acme' })).toBeVisible();

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search tenants' }),
      'xyz',
    );
    expect(
      await screen.findByText('No tenant matches these filters'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(await screen.findByText('2 tenants')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Search tenants' })).toHaveValue(
      '',
    );
  });

  it('says when there are no tenants yet and offers admins to create one', async () => {
    render(fakeTenantsApi({ tenants: [] }));
    expect(await screen.findByText('No tenants yet')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Create tenant' }),
    ).toBeInTheDocument();
  });

  it('shows no create button to a user who is no platform admin', async () => {
    const api = fakeTenantsApi({ identity: memberIdentity, tenants: [] });
    render(api);
    expect(await screen.findByText('No tenants yet')).toBeInTheDocument();
    expect(screen.getByText(/not a member of any tenant/)).toBeInTheDocument();
    await waitFor(() => expect(api.getIdentity).toHaveBeenCalled());
    expect(
      screen.queryByRole('button', { name: 'Create tenant' }),
    ).not.toBeInTheDocument();
  });

  it('names the failure when the tenants cannot be loaded', async () => {
    const api = fakeTenantsApi();
    api.listTenants.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'database down'),
    );
    render(api);
    expect(
      await screen.findByText(/The tenants could not be loaded/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database down/).length).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});

describe('TenantsPage create dialog', () => {
  async function openDialog(api: ReturnType<typeof fakeTenantsApi>) {
    render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create tenant' }),
    );
    return screen.findByRole('dialog', { name: 'Create tenant' });
  }

  it('validates the name, fills quota defaults and creates the tenant', async () => {
    const api = fakeTenantsApi();
    const dialog = await openDialog(api);
    const create = within(dialog).getByRole('button', { name: 'Create' });

    expect(within(dialog).getByLabelText(/Query row limit/)).toHaveValue(10000);
    expect(within(dialog).getByLabelText(/Concurrent queries/)).toHaveValue(4);

    await userEvent.type(within(dialog).getByLabelText(/Name/), 'Bad_Name');
    expect(
      within(dialog).getByText(/Not a valid tenant name/),
    ).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText(/Title/), 'Initech');
    expect(create).toBeDisabled();

    await userEvent.clear(within(dialog).getByLabelText(/Name/));
    await userEvent.type(within(dialog).getByLabelText(/Name/), 'initech');
    expect(
      within(dialog).queryByText(/Not a valid tenant name/),
    ).not.toBeInTheDocument();
    await userEvent.clear(within(dialog).getByLabelText(/Concurrent queries/));
    await userEvent.type(
      within(dialog).getByLabelText(/Concurrent queries/),
      '2',
    );
    expect(create).toBeEnabled();
    await userEvent.click(create);

    await waitFor(() =>
      expect(api.createTenant).toHaveBeenCalledWith({
        name: 'initech',
        title: 'Initech',
        description: undefined,
        quotas: { queryRowLimit: 10000, maxConcurrentQueries: 2 },
      }),
    );
    // The list refreshes with the new tenant; the dialog closes.
    expect(
      await screen.findByRole('link', { name: 'initech' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('sets a lake storage quota entered in GB as bytes, and refuses a bad size', async () => {
    const api = fakeTenantsApi();
    const dialog = await openDialog(api);
    const create = within(dialog).getByRole('button', { name: 'Create' });
    const storage = within(dialog).getByLabelText(/Lake storage quota \(GB\)/);
    // Optional: no quota by default.
    expect(storage).toHaveValue(null);
    expect(
      within(dialog).getByText(
        /1 GB = 1,000,000,000 bytes\); empty for no quota/,
      ),
    ).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText(/Name/), 'initech');
    await userEvent.type(within(dialog).getByLabelText(/Title/), 'Initech');
    expect(create).toBeEnabled();

    await userEvent.type(storage, '0');
    expect(
      within(dialog).getByText(
        'A number of GB greater than 0, or empty for no quota',
      ),
    ).toBeInTheDocument();
    expect(create).toBeDisabled();
    await userEvent.clear(storage);
    await userEvent.type(storage, '99999999');
    expect(
      within(dialog).getByText('At most 9,007,199 GB'),
    ).toBeInTheDocument();
    expect(create).toBeDisabled();

    await userEvent.clear(storage);
    await userEvent.type(storage, '2.5');
    expect(create).toBeEnabled();
    await userEvent.click(create);
    await waitFor(() =>
      expect(api.createTenant).toHaveBeenCalledWith({
        name: 'initech',
        title: 'Initech',
        description: undefined,
        quotas: {
          queryRowLimit: 10000,
          maxConcurrentQueries: 4,
          storageQuotaBytes: 2_500_000_000,
        },
      }),
    );
  });

  it('shows the server error in the dialog and keeps it open', async () => {
    const api = fakeTenantsApi();
    api.createTenant.mockRejectedValue(
      await responseError(409, 'ConflictError', 'Tenant acme already exists'),
    );
    const dialog = await openDialog(api);
    await userEvent.type(within(dialog).getByLabelText(/Name/), 'acme');
    await userEvent.type(within(dialog).getByLabelText(/Title/), 'ACME');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create' }),
    );

    expect(
      await within(dialog).findByText('Tenant acme already exists'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('dialog', { name: 'Create tenant' }),
    ).toBeInTheDocument();
  });
});

describe('TenantsPage detail', () => {
  it('shows overview, quotas, Authentik groups, members and the audit trail', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/acme');

    expect(
      await screen.findByRole('heading', { name: 'ACME Corp' }),
    ).toBeInTheDocument();
    expect(api.getTenant).toHaveBeenCalledWith('acme');
    expect(
      screen.getByText('Sales and order data of ACME'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('admin').length).toBeGreaterThan(0);

    const groups = screen.getByRole('table', { name: 'Authentik groups' });
    const operatorRow = within(groups).getByText('operator').closest('tr')!;
    expect(
      within(operatorRow as HTMLElement).getByText('akili-acme-operator'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/need not exist in the catalog/),
    ).toBeInTheDocument();

    const members = await screen.findByRole('table', { name: 'Members seen' });
    expect(within(members).getByText('jane')).toBeInTheDocument();
    expect(
      within(members).getByText('operator, developer'),
    ).toBeInTheDocument();

    // Domain events: the backlog with the relay's error, and each topic's last publish.
    expect(
      await screen.findByText(/1 event waits to be published/),
    ).toHaveTextContent(
      'Kafka is unavailable: connect ECONNREFUSED 10.0.0.5:9092',
    );
    const topics = screen.getByRole('table', { name: 'Event topics' });
    expect(within(topics).getByText('akili.acme.tenant')).toBeInTheDocument();
    expect(within(topics).getByText('tenant.suspended')).toBeInTheDocument();
    expect(within(topics).getByText('tenant:acme')).toBeInTheDocument();

    const audit = await screen.findByRole('table', { name: 'Audit trail' });
    expect(within(audit).getByText('Updated')).toBeInTheDocument();
    const change = within(audit).getByText(/Query row limit:/);
    expect(change).toHaveTextContent('Query row limit: 5,000 → 10,000');
    expect(
      within(audit).getByText('Reason: Unpaid invoice'),
    ).toBeInTheDocument();

    // The older page comes with "Load more", at the end, after which there is no more.
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(audit).findByText('Created')).toBeInTheDocument();
    expect(within(audit).getByText('system')).toBeInTheDocument();
    expect(api.listAuditEntries).toHaveBeenLastCalledWith('acme', {
      limit: 50,
      cursor: 'older',
    });
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Load more' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('explains who may see members and audit trail on a 403', async () => {
    const api = fakeTenantsApi({ identity: memberIdentity });
    const forbidden = await responseError(
      403,
      'NotAllowedError',
      'Not an operator of acme',
    );
    api.listMembers.mockRejectedValue(forbidden);
    api.listAuditEntries.mockRejectedValue(forbidden);
    api.getEventsStatus.mockRejectedValue(forbidden);
    api.listDeadLetters.mockRejectedValue(forbidden);
    render(api, '/tenants/acme');

    expect(
      await screen.findByText(
        'Only operators of acme and platform admins can see members.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Only operators of acme and platform admins can see the audit trail.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Only operators of acme and platform admins can see the domain events.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Only operators of acme and platform admins can see the dead letters.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Not an operator of acme'),
    ).not.toBeInTheDocument();
  });

  it('hides the admin actions from a user who is no platform admin', async () => {
    const api = fakeTenantsApi({ identity: memberIdentity });
    render(api, '/tenants/acme');
    await screen.findByRole('heading', { name: 'ACME Corp' });
    await waitFor(() => expect(api.getIdentity).toHaveBeenCalled());
    await screen.findByRole('table', { name: 'Members seen' });
    for (const name of ['Edit quotas', 'Suspend', 'Resume']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });

  it('says when a tenant does not exist or is hidden', async () => {
    render(fakeTenantsApi(), '/tenants/nope');
    expect(await screen.findByText('No tenant nope')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /All tenants/ })).toHaveAttribute(
      'href',
      '/tenants',
    );
  });

  it('suspends only with a reason, then refreshes the view', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/acme');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Suspend' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Suspend acme?',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Suspend' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Reason/), '   ');
    expect(confirm).toBeDisabled();

    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Security review',
    );
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    await waitFor(() =>
      expect(api.suspendTenant).toHaveBeenCalledWith('acme', {
        reason: 'Security review',
      }),
    );
    expect(
      (await screen.findAllByText('Reason: Security review')).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByRole('button', { name: 'Resume' }),
    ).toBeInTheDocument();
    // Tenant, members and audit trail are read again.
    expect(api.getTenant).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(api.listAuditEntries).toHaveBeenCalledTimes(2));
  });

  it('resumes after confirmation', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/globex');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Resume' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Resume globex?',
    });
    expect(within(dialog).getByText(/Contract ended/)).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resume' }),
    );
    await waitFor(() =>
      expect(api.resumeTenant).toHaveBeenCalledWith('globex'),
    );
    expect(
      await screen.findByRole('button', { name: 'Suspend' }),
    ).toBeInTheDocument();
  });

  it('edits the quotas', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/acme');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit quotas' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit quotas of acme',
    });
    const rows = within(dialog).getByLabelText(/Query row limit/);
    await userEvent.clear(rows);
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.type(rows, '2500');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateTenant).toHaveBeenCalledWith('acme', {
        quotas: { queryRowLimit: 2500, maxConcurrentQueries: 4 },
      }),
    );
    expect(await screen.findByText('2,500')).toBeInTheDocument();
  });
});

describe('TenantsPage lake storage quota', () => {
  it('shows no quota, then sets one in GB and shows it with its bytes', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/acme');
    expect(await screen.findByText('Lake storage quota')).toBeInTheDocument();
    expect(screen.getByText('No quota')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Edit quotas' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit quotas of acme',
    });
    const storage = within(dialog).getByLabelText(/Lake storage quota \(GB\)/);
    expect(storage).toHaveValue(null);
    await userEvent.type(storage, '5000');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateTenant).toHaveBeenCalledWith('acme', {
        quotas: {
          queryRowLimit: 10000,
          maxConcurrentQueries: 4,
          storageQuotaBytes: 5_000_000_000_000,
        },
      }),
    );
    expect(
      await screen.findByText('5,000 GB (5,000,000,000,000 bytes)'),
    ).toBeInTheDocument();
  });

  it('edits an existing quota in GB and does not let it be emptied', async () => {
    const api = fakeTenantsApi({
      tenants: [
        {
          ...acmeTenant,
          quotas: { ...acmeTenant.quotas, storageQuotaBytes: 1_500_000_000 },
        },
      ],
    });
    render(api, '/tenants/acme');
    expect(
      await screen.findByText('1.5 GB (1,500,000,000 bytes)'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Edit quotas' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit quotas of acme',
    });
    const storage = within(dialog).getByLabelText(/Lake storage quota \(GB\)/);
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect(storage).toHaveValue(1.5);
    await userEvent.clear(storage);
    expect(
      within(dialog).getByText(/a storage quota cannot be removed once set/),
    ).toBeInTheDocument();
    expect(save).toBeDisabled();
    await userEvent.type(storage, '0.25');
    await userEvent.click(save);
    await waitFor(() =>
      expect(api.updateTenant).toHaveBeenCalledWith('acme', {
        quotas: {
          queryRowLimit: 10000,
          maxConcurrentQueries: 4,
          storageQuotaBytes: 250_000_000,
        },
      }),
    );
    expect(
      await screen.findByText('0.25 GB (250,000,000 bytes)'),
    ).toBeInTheDocument();
  });
});

describe('TenantsPage dead letters', () => {
  const deadLetters = () =>
    screen.findByRole('table', { name: 'Dead letters' });

  it('lists open dead letters with their reason, and the retried ones on request', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/acme');

    expect(
      await screen.findByText(/1 dead letter waits for a decision/),
    ).toBeInTheDocument();
    const open = await deadLetters();
    expect(within(open).getByText('akili.acme.product')).toBeInTheDocument();
    expect(
      within(open).getByText('akili.catalog.product-refresh'),
    ).toBeInTheDocument();
    expect(
      within(open)
        .getByText(/Consumer failed/)
        .closest('td'),
    ).toHaveTextContent(
      'Consumer failed after 3 attempts: catalog refresh refused: entity not found',
    );
    expect(within(open).getByText('product.registered')).toBeInTheDocument();
    expect(
      within(open).queryByText('akili.acme.quality'),
    ).not.toBeInTheDocument();
    expect(api.listDeadLetters).toHaveBeenCalledWith('acme', {
      status: 'open',
      limit: 25,
      cursor: undefined,
    });

    await userEvent.click(screen.getByRole('button', { name: 'Retried' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Dead letters' })).getByText(
          'akili.acme.quality',
        ),
      ).toBeInTheDocument(),
    );
    const retried = screen.getByRole('table', { name: 'Dead letters' });
    expect(within(retried).getByText(/Not JSON/)).toBeInTheDocument();
    expect(within(retried).getByText(/by jane/)).toBeInTheDocument();
    expect(
      within(retried).queryByText('akili.acme.product'),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'All' }));
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'Dead letters' }),
        ).getAllByRole('row'),
      ).toHaveLength(3),
    );
  });

  it('shows the message, pretty-printed', async () => {
    render(fakeTenantsApi(), '/tenants/acme');
    await deadLetters();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show message dl-2' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('dataproduct:acme/orders'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Message').textContent).toBe(
      '{\n  "id": "0b7f4a52-1f0e-4d8e-9d55-3c1c2f4b7a10",\n  "type": "product.registered"\n}',
    );
  });

  it('retries after confirmation, then refreshes the list, the events and the audit trail', async () => {
    const api = fakeTenantsApi();
    render(api, '/tenants/acme');
    await deadLetters();
    await userEvent.click(screen.getByRole('button', { name: 'Retry dl-2' }));

    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'The message goes back to topic akili.acme.product with its key and headers, as event 0b7f4a52-1f0e-4d8e-9d55-3c1c2f4b7a10. Consumers that already processed that event skip it; akili.catalog.product-refresh, which gave up on it, processes it again.',
    );
    const eventsCalls = api.getEventsStatus.mock.calls.length;
    const auditCalls = api.listAuditEntries.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry' }),
    );

    expect(api.retryDeadLetter).toHaveBeenCalledWith('acme', 'dl-2');
    expect(
      await screen.findByText(
        'Published again to akili.acme.product as event 0b7f4a52-1f0e-4d8e-9d55-3c1c2f4b7a10.',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(api.getEventsStatus.mock.calls.length).toBeGreaterThan(
        eventsCalls,
      ),
    );
    expect(api.listAuditEntries.mock.calls.length).toBeGreaterThan(auditCalls);
  });

  it('keeps the dialog open with the reason when the retry fails', async () => {
    const api = fakeTenantsApi();
    api.retryDeadLetter.mockRejectedValue(
      await responseError(
        503,
        'ServiceUnavailableError',
        "Could not publish dead letter 'dl-2' again to topic 'akili.acme.product': broker down",
      ),
    );
    render(api, '/tenants/acme');
    await deadLetters();
    await userEvent.click(screen.getByRole('button', { name: 'Retry dl-2' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Could not publish dead letter 'dl-2' again to topic 'akili.acme.product': broker down",
    );
    expect(screen.queryByText(/Published again/)).not.toBeInTheDocument();
  });

  it('says when there are none', async () => {
    render(fakeTenantsApi(), '/tenants/globex');
    expect(
      await screen.findByText(
        'No open dead letters: the consumers processed every event they received.',
      ),
    ).toBeInTheDocument();
  });
});
