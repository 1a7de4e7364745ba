import { templateManifestYaml } from '@akili/plugin-akili-common';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor, within } from '@testing-library/react';
import { validateManifestPreview } from './field';
import { ManifestPreview } from './ManifestPreview';

const values = {
  tenant: 'acme',
  name: 'order-stats',
  title: 'Order statistics',
  domain: 'domain:default/sales',
  owner: 'sales-analytics',
  description: 'Orders per day',
  productType: 'aggregate',
  outputPorts: [
    {
      name: 'daily_orders',
      columns: [
        { name: 'order_date', type: 'date', classification: 'internal' },
        { name: 'email', type: 'string', classification: 'pii' },
      ],
    },
  ],
};

async function render(formData: object, template: unknown = 'sql') {
  const onChange = jest.fn();
  const props = {
    onChange,
    formData: undefined,
    formContext: { formData },
    required: false,
    rawErrors: [],
    schema: { type: 'string', title: 'Manifest' },
    uiSchema: { 'ui:options': { template } },
    idSchema: { $id: 'root_manifest' },
  } as unknown as FieldExtensionComponentProps<string>;
  await renderInTestApp(<ManifestPreview {...props} />);
  return onChange;
}

/** Waits for the preview's code block (highlighted once its highlighter loads) to show texts. */
async function expectPreviewToShow(...texts: string[]) {
  await waitFor(() => {
    const code = screen.getByTestId('akili-manifest-preview');
    for (const text of texts) {
      expect(code).toHaveTextContent(text);
    }
  });
}

describe('AkiliManifestPreview', () => {
  it('shows the manifest the template will create for the form values', async () => {
    const onChange = await render(values);
    expect(
      await screen.findByText('The manifest is valid.'),
    ).toBeInTheDocument();
    const expected = templateManifestYaml('sql', values);
    await expectPreviewToShow(
      'name: order-stats',
      'classification: pii',
      'catalog: iceberg_acme',
    );
    // The field's value is the text the run writes.
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(expected));
  });

  it('names the problems of an invalid manifest with their paths and lines', async () => {
    await render({
      ...values,
      outputPorts: [
        {
          name: 'daily_orders',
          columns: [
            { name: 'day', type: 'date' },
            { name: 'day', type: 'string' },
          ],
        },
      ],
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The manifest is not valid');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      expect.stringMatching(
        /^\$\.spec\.outputPorts\[0\]\.schema\[1\]\.name \(line \d+\): .*day/,
      ),
    ]);
  });

  it('says when the template names no product kind it knows', async () => {
    await render(values, 'java');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "ui:options.template: The template names no product kind this field knows ('java')",
    );
  });

  it('keeps the form from going on with an invalid manifest', async () => {
    const addError = jest.fn();
    const context = (formData: object) =>
      ({
        formData,
        uiSchema: { 'ui:options': { template: 'python' } },
      } as any);
    await validateManifestPreview('', { addError } as any, context(values));
    expect(addError).not.toHaveBeenCalled();

    await validateManifestPreview(
      '',
      { addError } as any,
      context({ ...values, owner: undefined }),
    );
    expect(addError).toHaveBeenCalledWith(
      'The manifest is not valid (1 problem, listed with it): go back and change the values they name',
    );
  });
});
