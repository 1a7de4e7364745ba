import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiRegistry } from '@backstage/test-utils';
import { validateProductName } from './field';
import { productNameProblem } from './ProductNamePicker';

const apis = TestApiRegistry.from([
  catalogApiRef,
  catalogApiMock({
    entities: [
      {
        apiVersion: 'akili.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'orders', namespace: 'acme' },
        spec: {},
      },
    ],
  }),
]);

describe('the product name of the templates', () => {
  it('accepts a valid name no product of the tenant has', async () => {
    expect(await productNameProblem('order-stats', 'acme', apis)).toBe(
      undefined,
    );
    // Another tenant's product of that name is no obstacle.
    expect(await productNameProblem('orders', 'globex', apis)).toBe(undefined);
  });

  it('leaves a name the manifest would refuse to the template schema, without a lookup', async () => {
    const catalog = apis.get(catalogApiRef)!;
    const lookup = jest.spyOn(catalog, 'getEntityByRef');
    for (const name of ['Orders', 'order stats', '-orders', 'a'.repeat(64)]) {
      expect(await productNameProblem(name, 'acme', apis)).toBe(undefined);
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a name the tenant has a product of already', async () => {
    expect(await productNameProblem('orders', 'acme', apis)).toBe(
      "Tenant 'acme' has a data product 'orders' already: choose another name",
    );
  });

  it('adds the problem to the form field, taking the tenant from the form', async () => {
    const addError = jest.fn();
    await validateProductName('orders', { addError } as any, {
      apiHolder: apis,
      formData: { tenant: 'acme' },
      schema: {},
    });
    expect(addError).toHaveBeenCalledWith(
      "Tenant 'acme' has a data product 'orders' already: choose another name",
    );
    addError.mockClear();
    await validateProductName('orders', { addError } as any, {
      apiHolder: apis,
      formData: { tenant: 'globex' },
      schema: {},
    });
    expect(addError).not.toHaveBeenCalled();
  });
});
