import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TestApiRegistry } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { ProductRegistryEntry } from '@akili/plugin-akili-common';
import { akiliTenantsApiRef } from '../../api';
import {
  fakeTenantsApi,
  responseError,
} from '../../__testUtils__/fakeTenantsApi';
import { validateProductName } from './field';
import { ProductNamePicker, productNameProblem } from './ProductNamePicker';

/** `orders` is in acme's catalog; `returns` is in acme's registry only (not yet in the catalog). */
const catalog = catalogApiMock({
  entities: [
    {
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'orders', namespace: 'acme' },
      spec: {},
    },
  ],
});
const registered = {
  entityRef: 'dataproduct:acme/returns',
  tenant: 'acme',
  name: 'returns',
  status: 'registered',
  revision: 2,
} as ProductRegistryEntry;

function apisWith(akili = fakeTenantsApi({ products: [registered] })) {
  return {
    akili,
    apis: TestApiRegistry.from(
      [catalogApiRef, catalog],
      [akiliTenantsApiRef, akili],
    ),
  };
}

describe('the product name of the templates', () => {
  it('accepts a valid name no product of the tenant has', async () => {
    const { apis, akili } = apisWith();
    expect(await productNameProblem('order-stats', 'acme', apis)).toBe(
      undefined,
    );
    expect(akili.getProduct).toHaveBeenCalledWith('acme', 'order-stats');
    // Another tenant's products of those names are no obstacle.
    expect(await productNameProblem('orders', 'globex', apis)).toBe(undefined);
    expect(await productNameProblem('returns', 'globex', apis)).toBe(undefined);
  });

  it('refuses a name the tenant has in its catalog or its registry', async () => {
    const { apis } = apisWith();
    expect(await productNameProblem('orders', 'acme', apis)).toBe(
      "Tenant 'acme' has a data product 'orders' in the catalog already: choose another name",
    );
    expect(await productNameProblem('returns', 'acme', apis)).toBe(
      "Tenant 'acme' has registered a data product 'returns' already (revision 2): choose another name",
    );
  });

  it('refuses a name the manifest would refuse, in the words of akili-common, without a lookup', async () => {
    const { apis, akili } = apisWith();
    const lookup = jest.spyOn(catalog, 'getEntityByRef');
    expect(await productNameProblem('Order Stats', 'acme', apis)).toMatch(
      /^"Order Stats" is not a data product name: lowercase letters/,
    );
    expect(await productNameProblem('a'.repeat(64), 'acme', apis)).toMatch(
      /at most 63 characters/,
    );
    expect(lookup).not.toHaveBeenCalled();
    expect(akili.getProduct).not.toHaveBeenCalled();
    lookup.mockRestore();
  });

  it('says when the registry cannot be asked, rather than calling the name free', async () => {
    const akili = fakeTenantsApi();
    akili.getProduct.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'Registry is down'),
    );
    const { apis } = apisWith(akili);
    expect(await productNameProblem('order-stats', 'acme', apis)).toBe(
      'Could not check whether \'order-stats\' is free: the registry answered "Registry is down". Try again in a moment.',
    );
  });

  it('adds the problem to the form field, taking the tenant from the form', async () => {
    const { apis } = apisWith();
    const addError = jest.fn();
    const validate = (tenant: string) =>
      validateProductName(
        'returns',
        { addError } as any,
        {
          apiHolder: apis,
          formData: { tenant },
          schema: {},
        } as any,
      );
    await validate('acme');
    expect(addError).toHaveBeenCalledWith(
      "Tenant 'acme' has registered a data product 'returns' already (revision 2): choose another name",
    );
    addError.mockClear();
    await validate('globex');
    expect(addError).not.toHaveBeenCalled();
  });

  it('tells the user as they type whether the name is free', async () => {
    const { akili } = apisWith();
    const render = (formData: string, tenant = 'acme') =>
      renderInTestApp(
        <ProductNamePicker
          {...({
            onChange: jest.fn(),
            formData,
            formContext: { formData: { tenant, name: formData } },
            required: true,
            rawErrors: [],
            schema: { type: 'string', title: 'Name' },
            uiSchema: {},
            idSchema: { $id: 'root_name' },
          } as unknown as FieldExtensionComponentProps<string>)}
        />,
        {
          apis: [
            [catalogApiRef, catalog],
            [akiliTenantsApiRef, akili],
          ],
        },
      );
    const first = await render('orders');
    expect(
      await screen.findByText(
        "Tenant 'acme' has a data product 'orders' in the catalog already: choose another name",
      ),
    ).toBeInTheDocument();
    first.unmount();
    await render('order-stats');
    expect(
      await screen.findByText(
        "'order-stats' is free in acme: no product of that name in its registry or catalog",
      ),
    ).toBeInTheDocument();
  });
});
