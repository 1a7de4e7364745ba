import { renderInTestApp } from '@backstage/frontend-test-utils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { akiliTenantsApiRef } from '../../api';
import {
  fakeTenantsApi,
  responseError,
} from '../../__testUtils__/fakeTenantsApi';
import { TenantPicker } from './TenantPicker';

function render(
  api: ReturnType<typeof fakeTenantsApi>,
  formData?: string,
  onChange = jest.fn(),
) {
  const props = {
    onChange,
    formData,
    required: true,
    rawErrors: [],
    schema: { type: 'string', title: 'Tenant' },
    uiSchema: {},
    idSchema: { $id: 'root_tenant' },
  } as unknown as FieldExtensionComponentProps<string>;
  renderInTestApp(<TenantPicker {...props} />, {
    apis: [[akiliTenantsApiRef, api]],
  });
  return onChange;
}

const options = async () => {
  await userEvent.click(await screen.findByRole('button', { name: /Tenant/ }));
  const list = await screen.findByRole('listbox');
  return within(list)
    .getAllByRole('option')
    .map(o => o.textContent);
};

describe('TenantPicker', () => {
  it('offers only the tenants the user develops or operates', async () => {
    const api = fakeTenantsApi({
      identity: {
        userEntityRef: 'user:default/dora',
        platformAdmin: false,
        tenants: [
          { name: 'initech', roles: ['operator'] },
          { name: 'acme', roles: ['developer'] },
          { name: 'globex', roles: ['consumer'] },
        ],
      },
    });
    const onChange = render(api);
    expect(await options()).toEqual(['acme', 'initech']);
    await userEvent.click(screen.getByRole('option', { name: 'initech' }));
    expect(onChange).toHaveBeenLastCalledWith('initech');
    expect(api.listTenants).not.toHaveBeenCalled();
  });

  it('chooses the only tenant at once', async () => {
    const onChange = render(
      fakeTenantsApi({
        identity: {
          userEntityRef: 'user:default/ann',
          platformAdmin: false,
          tenants: [{ name: 'acme', roles: ['developer'] }],
        },
      }),
    );
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('acme'));
  });

  it('offers platform admins every tenant', async () => {
    render(fakeTenantsApi());
    expect(await options()).toEqual(['acme', 'globex']);
  });

  it('says when the user may create no product', async () => {
    render(
      fakeTenantsApi({
        identity: {
          userEntityRef: 'user:default/carl',
          platformAdmin: false,
          tenants: [{ name: 'acme', roles: ['consumer'] }],
        },
      }),
    );
    expect(
      await screen.findByText(
        'You are not a developer or operator of any tenant, so you cannot create data products',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Tenant/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('says when the tenants cannot be loaded', async () => {
    const failing = fakeTenantsApi();
    failing.getIdentity.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'Akili is down'),
    );
    render(failing);
    expect(
      await screen.findByText(/^Your tenants could not be loaded: /),
    ).toBeInTheDocument();
  });
});
