import { parseManifest } from '@akili/plugin-akili-common';
import { testManifestYaml } from '@akili/plugin-akili-node/testUtils';
import { startScaffolder } from '../__testUtils__/startScaffolder';

jest.setTimeout(60_000);

const manifest = (tenant: string, name: string) =>
  testManifestYaml(tenant, name, { version: '0.3.1', port: 'orders' });

/** A dry run copying a manifest into the workspace, then editing it with `input`. */
const template = (input: object) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'edit', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [{ properties: { tenant: { type: 'string' } } }],
    steps: [
      {
        id: 'copy',
        action: 'fetch:plain:file',
        input: {
          url: './dataproduct.yaml',
          targetPath: 'manifest.yaml',
        },
      },
      {
        id: 'edit',
        action: 'akili:manifest:edit',
        input: { path: 'manifest.yaml', ...input },
      },
    ],
    output: {
      version: '${{ steps.edit.output.version }}',
      summary: '${{ steps.edit.output.summary }}',
      breaking: '${{ steps.edit.output.breaking }}',
    },
  },
});

describe('akili:manifest:edit (real scaffolder, Akili policy, this module)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder();
  });

  afterAll(async () => {
    await scaffolder.gitlab.stop();
  });

  const dryRun = (
    input: object,
    options: { text?: string; user?: string } = {},
  ) =>
    scaffolder.as(options.user ?? 'user:default/ann').post('/v2/dry-run', {
      template: template(input),
      values: { tenant: 'acme' },
      directoryContents: [
        {
          path: 'dataproduct.yaml',
          base64Content: Buffer.from(
            options.text ?? manifest('acme', 'orders'),
          ).toString('base64'),
        },
      ],
    });

  it('removes a port with a major bump and the acknowledgement, and says it breaks', async () => {
    const res = await dryRun({
      entityRef: 'dataproduct:acme/orders',
      addOutputPorts: [
        { name: 'orders_v2', columns: [{ name: 'id', type: 'string' }] },
      ],
      removeOutputPorts: ['orders'],
      bump: 'major',
      acknowledgeBreaking: true,
    });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(res.body.output).toEqual({
      version: '1.0.0',
      summary:
        'Removed output port orders (breaking for its consumers)\nAdded output port orders_v2 (1 column)\nVersion 0.3.1 → 1.0.0 (major)',
      breaking: true,
    });
    const file = res.body.directoryContents.find(
      (f: any) => f.path === 'manifest.yaml',
    );
    const edited = parseManifest(
      Buffer.from(file.base64Content, 'base64').toString('utf8'),
    ).manifests[0];
    expect(edited.spec.outputPorts.map(p => p.name)).toEqual(['orders_v2']);
  });

  it.each([
    [
      { entityRef: 'component:acme/orders', bump: 'patch' },
      "akili:manifest:edit: entityRef 'component:acme/orders' is not a data product (dataproduct:<tenant>/<name>)",
    ],
    [
      { entityRef: 'dataproduct:acme/other', bump: 'patch' },
      'manifest.yaml is not the manifest of dataproduct:acme/other (it names dataproduct:acme/orders)',
    ],
    [
      {
        entityRef: 'dataproduct:acme/orders',
        removeOutputPorts: ['orders'],
        bump: 'major',
      },
      "Removing output ports (orders) breaks their consumers: it needs bump 'major' and acknowledgeBreaking",
    ],
    [{ entityRef: 'dataproduct:acme/orders', bump: 'sideways' }, 'bump'],
  ])('refuses %j: %s', async (input, message) => {
    const res = await dryRun(input);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('refuses a product of a tenant the user is not in, before reading the workspace', async () => {
    const res = await dryRun(
      { entityRef: 'dataproduct:globex/orders', bump: 'patch' },
      { text: manifest('globex', 'orders') },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      "The tenant of dataproduct:globex/orders 'globex'",
    );
  });
});
