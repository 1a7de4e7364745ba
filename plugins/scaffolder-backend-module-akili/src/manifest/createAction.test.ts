import {
  parseManifest,
  templateManifestYaml,
} from '@akili/plugin-akili-common';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createManifestCreateAction } from './createAction';

const values = {
  tenant: 'acme',
  name: 'order-stats',
  domain: 'domain:default/sales',
  owner: 'sales-analytics',
  description: 'Orders per day',
  outputPorts: [
    {
      name: 'daily_orders',
      columns: [{ name: 'email', type: 'string', classification: 'pii' }],
    },
  ],
  // Other parameters of the form (the preview's own value, hidden fields) are ignored.
  manifest: 'whatever the preview held',
  gitlabHost: 'gitlab.example',
};

describe('akili:manifest:create', () => {
  const workspace = createMockDirectory();
  const action = createManifestCreateAction();

  function context(input: Record<string, unknown>) {
    return {
      input,
      workspacePath: workspace.path,
      logger: mockServices.logger.mock(),
      output: jest.fn(),
      isDryRun: true,
    } as any;
  }

  beforeEach(() => workspace.clear());

  it('writes the manifest the form previewed into the workspace', async () => {
    const ctx = context({ template: 'python', values });
    await action.handler(ctx);
    const text = workspace.content()?.['dataproduct.yaml'] as string;
    expect(text).toBe(templateManifestYaml('python', values));
    const result = parseManifest(text);
    expect(result.errors).toEqual([]);
    expect(result.manifests[0].spec.outputPorts[0].schema).toEqual([
      { name: 'email', type: 'string', classification: 'pii' },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('path', 'dataproduct.yaml');
  });

  it('writes to another path of the workspace, never outside it', async () => {
    await action.handler(
      context({ template: 'sql', values, path: 'product/manifest.yaml' }),
    );
    expect(workspace.content()).toEqual({
      product: { 'manifest.yaml': templateManifestYaml('sql', values) },
    });
    await expect(
      action.handler(
        context({ template: 'sql', values, path: '../dataproduct.yaml' }),
      ),
    ).rejects.toThrow(/outside/);
  });
});
