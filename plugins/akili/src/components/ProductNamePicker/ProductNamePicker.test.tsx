import { renderInTestApp } from '@backstage/frontend-test-utils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TestApiRegistry } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ProductNameAvailability } from '@akili/plugin-akili-common';
import { akiliTenantsApiRef, AkiliTenantsClient } from '../../api';
import { validateProductName } from './field';
import { ProductNamePicker, productNameProblem } from './ProductNamePicker';

const baseUrl = 'http://localhost:7007/api/akili';

/**
 * The control plane's answers for acme: `returns` is in its registry, `orders` in its catalog,
 * `legacy` a GitLab project; every other name is free. Other tenants have none of them.
 */
const taken: Record<
  string,
  Omit<ProductNameAvailability, 'tenant' | 'name'>
> = {
  returns: {
    available: false,
    takenBy: 'registry',
    message:
      'dataproduct:acme/returns is registered already (revision 2): choose another name',
  },
  orders: {
    available: false,
    takenBy: 'catalog',
    message:
      'dataproduct:acme/orders is in the catalog already: choose another name',
  },
  legacy: {
    available: false,
    takenBy: 'gitlab',
    message:
      'The GitLab project akili/acme/legacy exists already: choose another name',
  },
};

const server = setupServer();
const asked: string[] = [];

function answerNames(options: { gitlabDown?: boolean } = {}) {
  server.use(
    http.get(
      `${baseUrl}/v1/tenants/:tenant/product-names/:name`,
      ({ params }) => {
        const tenant = params.tenant as string;
        const name = params.name as string;
        asked.push(`${tenant}/${name}`);
        const answer = (tenant === 'acme' && taken[name]) || {
          available: true,
          ...(options.gitlabDown ? { unchecked: ['gitlab'] } : {}),
        };
        return HttpResponse.json({ tenant, name, ...answer });
      },
    ),
  );
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  asked.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = new AkiliTenantsClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
  fetchApi: { fetch: (input, init) => fetch(input, init) },
});
const apis = TestApiRegistry.from([akiliTenantsApiRef, client]);

describe('the product name of the templates', () => {
  it('accepts a valid name the control plane calls free, asking once', async () => {
    answerNames();
    expect(await productNameProblem('order-stats', 'acme', apis)).toBe(
      undefined,
    );
    expect(asked).toEqual(['acme/order-stats']);
    // Another tenant's products of those names are no obstacle.
    expect(await productNameProblem('orders', 'globex', apis)).toBe(undefined);
  });

  it("refuses a name taken in the tenant's registry, catalog or GitLab, in the control plane's words", async () => {
    answerNames();
    for (const name of ['returns', 'orders', 'legacy']) {
      expect(await productNameProblem(name, 'acme', apis)).toBe(
        taken[name].message,
      );
    }
  });

  it('refuses a name the manifest would refuse, in the words of akili-common, without a lookup', async () => {
    answerNames();
    expect(await productNameProblem('Order Stats', 'acme', apis)).toMatch(
      /^"Order Stats" is not a data product name: lowercase letters/,
    );
    expect(await productNameProblem('a'.repeat(64), 'acme', apis)).toMatch(
      /at most 63 characters/,
    );
    expect(asked).toEqual([]);
  });

  it('says when the control plane cannot be asked, rather than calling the name free', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/:tenant/product-names/:name`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'Registry is down',
            },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    expect(await productNameProblem('order-stats', 'acme', apis)).toBe(
      'Could not check whether \'order-stats\' is free: the control plane answered "Registry is down". Try again in a moment.',
    );
  });

  it('adds the problem to the form field, taking the tenant from the form', async () => {
    answerNames();
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
    expect(addError).toHaveBeenCalledWith(taken.returns.message);
    addError.mockClear();
    await validate('globex');
    expect(addError).not.toHaveBeenCalled();
    expect(asked).toEqual(['acme/returns', 'globex/returns']);
  });

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
      { apis: [[akiliTenantsApiRef, client]] },
    );

  it('tells the user as they type whether the name is free', async () => {
    answerNames();
    const first = await render('legacy');
    expect(await screen.findByText(taken.legacy.message!)).toBeInTheDocument();
    first.unmount();
    await render('order-stats');
    expect(
      await screen.findByText(
        "'order-stats' is free in acme: no product or GitLab project of that name",
      ),
    ).toBeInTheDocument();
  });

  it('says when GitLab could not be checked', async () => {
    answerNames({ gitlabDown: true });
    await render('order-stats');
    expect(
      await screen.findByText(
        "'order-stats' is free in acme's registry and catalog; GitLab could not be checked, publishing will tell if the project exists",
      ),
    ).toBeInTheDocument();
    expect(asked).toEqual(['acme/order-stats']);
  });
});
