import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AkiliIdentityInfo,
  akiliProductSubmitPermission,
} from '@akili/plugin-akili-common';
import { renderInTestApp } from '@backstage/test-utils';
import {
  chooseTenant,
  TenantPicker,
  UserTenantsSource,
  UserTenantsState,
  useUserTenants,
} from './tenants';
import { TenantGate } from './TenantGate';

function source(identity: AkiliIdentityInfo, all: string[] = []) {
  return {
    getIdentity: jest.fn(async () => identity),
    listTenantNames: jest.fn(async () => all),
  } satisfies UserTenantsSource;
}

/** The hook behind a picker, as a page uses them together. */
function Page(props: {
  source: UserTenantsSource;
  onChange?: (tenant: string) => void;
  submitters?: boolean;
}) {
  const state = useUserTenants(props.source, {
    permission: props.submitters ? akiliProductSubmitPermission : undefined,
  });
  if (state.loading) return <p>Loading</p>;
  if (state.error) return <p>Failed: {state.error.message}</p>;
  return (
    <TenantPicker
      id="t"
      tenants={state.tenants.map(t => t.name)}
      value={state.tenants[0]?.name}
      onChange={props.onChange ?? (() => {})}
      helperText={`${state.tenants.length} tenants`}
    />
  );
}

async function options() {
  await userEvent.click(await screen.findByRole('button', { name: /Tenant/ }));
  return within(await screen.findByRole('listbox'))
    .getAllByRole('option')
    .map(o => o.textContent);
}

const dora: AkiliIdentityInfo = {
  userEntityRef: 'user:default/dora',
  platformAdmin: false,
  tenants: [
    { name: 'initech', roles: ['operator'] },
    { name: 'globex', roles: ['consumer'] },
    { name: 'acme', roles: ['developer'] },
  ],
};

describe('useUserTenants and TenantPicker', () => {
  it("offers only the user's own tenants, by name, and picks one", async () => {
    const api = source(dora, ['acme', 'globex', 'initech', 'umbrella']);
    const onChange = jest.fn();
    render(<Page source={api} onChange={onChange} />);
    expect(await options()).toEqual(['acme', 'globex', 'initech']);
    await userEvent.click(screen.getByRole('option', { name: 'initech' }));
    expect(onChange).toHaveBeenCalledWith('initech');
    expect(api.listTenantNames).not.toHaveBeenCalled();
  });

  it('keeps the tenants where the roles grant a permission', async () => {
    render(<Page source={source(dora)} submitters />);
    expect(await options()).toEqual(['acme', 'initech']);
  });

  it("offers platform admins their own tenants, then everyone else's", async () => {
    const api = source(
      {
        userEntityRef: 'user:default/root',
        platformAdmin: true,
        tenants: [{ name: 'globex', roles: ['operator'] }],
      },
      ['initech', 'acme', 'globex'],
    );
    render(<Page source={api} />);
    expect(await options()).toEqual(['globex', 'acme', 'initech']);
  });

  it('says why the tenants could not be loaded', async () => {
    const api = source(dora);
    api.getIdentity.mockRejectedValue(new Error('Akili is down'));
    render(<Page source={api} />);
    expect(
      await screen.findByText('Failed: Akili is down'),
    ).toBeInTheDocument();
  });

  it('shows no choice for a tenant it does not offer', async () => {
    render(
      <TenantPicker
        id="t"
        tenants={['acme']}
        value="globex"
        onChange={() => {}}
      />,
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: /Tenant/ }),
      ).not.toHaveTextContent('globex'),
    );
  });

  it('keeps the help of a disabled picker readable: it may say why', () => {
    render(
      <TenantPicker
        id="t"
        tenants={[]}
        value={undefined}
        onChange={() => {}}
        disabled
        helperText="You are not a developer of any tenant"
      />,
    );
    // Only the field is greyed (Mui-disabled), not the text that explains it.
    expect(screen.getByRole('button', { name: /Tenant/ })).toHaveClass(
      'Mui-disabled',
    );
    expect(
      screen.getByText('You are not a developer of any tenant'),
    ).not.toHaveClass('Mui-disabled');
  });
});

describe('chooseTenant and TenantGate', () => {
  const tenants = [
    { name: 'acme', roles: ['developer' as const] },
    { name: 'initech', roles: ['operator' as const] },
  ];

  it("takes the asked tenant when it is the user's, else the first they operate, else the first", () => {
    expect(chooseTenant(tenants, 'acme')).toBe('acme');
    expect(chooseTenant(tenants, 'umbrella')).toBe('initech');
    expect(chooseTenant(tenants, null)).toBe('initech');
    expect(chooseTenant([tenants[0]], undefined)).toBe('acme');
    expect(chooseTenant([], 'acme')).toBeUndefined();
  });

  const gate = (state: UserTenantsState, tenant: string | undefined) => (
    <TenantGate
      tenants={state}
      tenant={tenant}
      emptyTitle="No tenant for you"
      emptyDescription="Ask a platform admin."
    >
      {name => <p>Page of {name}</p>}
    </TenantGate>
  );

  it('shows the page of the chosen tenant', async () => {
    await renderInTestApp(gate({ loading: false, tenants }, 'acme'));
    expect(screen.getByText('Page of acme')).toBeInTheDocument();
  });

  it('shows an empty state when there is no tenant to pick', async () => {
    await renderInTestApp(gate({ loading: false, tenants: [] }, undefined));
    expect(screen.getByText('No tenant for you')).toBeInTheDocument();
    expect(screen.getByText('Ask a platform admin.')).toBeInTheDocument();
    expect(screen.queryByText(/Page of/)).toBeNull();
  });

  it('shows why the tenants could not be found out', async () => {
    await renderInTestApp(
      gate(
        { loading: false, error: new Error('akili is down'), tenants: [] },
        undefined,
      ),
    );
    expect(
      screen.getByText(/Could not find out your tenants/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/akili is down/).length).toBeGreaterThan(0);
  });

  it('shows progress, not the page, while the tenants load', async () => {
    await renderInTestApp(gate({ loading: true, tenants: [] }, 'acme'));
    expect(screen.queryByText('Page of acme')).toBeNull();
    expect(screen.queryByText('No tenant for you')).toBeNull();
  });
});
