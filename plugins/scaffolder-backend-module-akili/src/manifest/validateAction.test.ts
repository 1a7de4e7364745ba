import { testManifest } from '../__testUtils__/akiliTasks';
import { startScaffolder } from '../__testUtils__/startScaffolder';

jest.setTimeout(60_000);

const manifest = (namespace: string, name = 'orders') =>
  testManifest(namespace, { name });

const template = (steps: object[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'validate', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [
      {
        properties: {
          tenant: { type: 'string' },
          manifest: {},
        },
      },
    ],
    steps,
    output: {
      valid: '${{ steps.validate.output.valid }}',
      kind: '${{ steps.validate.output.kind }}',
      errors: '${{ steps.validate.output.errors }}',
    },
  },
});

const validate = (input: object) => ({
  id: 'validate',
  action: 'akili:manifest:validate',
  input,
});

describe('akili:manifest:validate (real scaffolder, Akili policy, this module)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder({
      templates: [
        {
          ...template([validate({ manifest: '${{ parameters.manifest }}' })]),
          metadata: {
            name: 'validate',
            namespace: 'default',
            annotations: {
              'backstage.io/managed-by-location':
                'url:https://example.test/validate.yaml',
            },
          },
        },
      ],
    });
  });

  afterAll(async () => {
    await scaffolder.gitlab.stop();
  });

  const dryRun = (
    user: string,
    steps: object[],
    values: object,
    files: Record<string, string> = {},
  ) =>
    scaffolder.as(user).post('/v2/dry-run', {
      template: template(steps),
      values,
      directoryContents: Object.entries(files).map(([path, content]) => ({
        path,
        base64Content: Buffer.from(content).toString('base64'),
      })),
    });

  it('validates a manifest file of the workspace', async () => {
    const res = await dryRun(
      'user:default/ann',
      [
        { id: 'fetch', action: 'fetch:plain', input: { url: './skeleton' } },
        validate({ path: 'dataproduct.yaml' }),
      ],
      { tenant: 'acme' },
      { 'skeleton/dataproduct.yaml': manifest('acme') },
    );
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({ valid: true, kind: 'akili', errors: [] });
  });

  it('validates an object and a text given as input', async () => {
    const object = await dryRun(
      'user:default/ann',
      [validate({ manifest: '${{ parameters.manifest }}' })],
      {
        tenant: 'acme',
        manifest: {
          apiVersion: 'akili.io/v1alpha1',
          kind: 'DataProduct',
          metadata: { name: 'Orders', namespace: 'acme' },
          spec: {},
        },
      },
    );
    expect(object.status).toBe(400);
    expect(object.body.error.message).toContain(
      'the manifest is not a valid data product manifest: $.metadata.name:',
    );

    const text = await dryRun(
      'user:default/ann',
      [validate({ manifest: '${{ parameters.manifest }}' })],
      { tenant: 'acme', manifest: manifest('acme') },
    );
    expect(text.status).toBe(200);
    expect(text.body.output.valid).toBe(true);
  });

  it('fails on an invalid manifest naming path and line, or answers the problems', async () => {
    const invalid = manifest('acme', 'Orders_2').replace(
      'type: source-aligned',
      'type: sideways',
    );
    const failing = await dryRun(
      'user:default/ann',
      [validate({ manifest: '${{ parameters.manifest }}' })],
      { tenant: 'acme', manifest: invalid },
    );
    expect(failing.status).toBe(400);
    expect(failing.body.error.message).toMatch(
      /^the manifest is not a valid data product manifest: \$\.metadata\.name \(line 4, column 9\): .+; \$\.spec\.type \(line 7, column 9\): /,
    );

    const answering = await dryRun(
      'user:default/ann',
      [
        validate({
          manifest: '${{ parameters.manifest }}',
          failOnInvalid: false,
        }),
      ],
      { tenant: 'acme', manifest: invalid },
    );
    expect(answering.status).toBe(200);
    expect(answering.body.output).toMatchObject({
      valid: false,
      kind: 'akili',
      errors: [
        { path: '$.metadata.name', line: 4, column: 9 },
        { path: '$.spec.type', line: 7, column: 9 },
      ],
    });
  });

  it('refuses a file outside the workspace and a missing file', async () => {
    for (const path of ['../../etc/passwd', 'missing.yaml']) {
      const res = await dryRun('user:default/ann', [validate({ path })], {
        tenant: 'acme',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('refuses a manifest of a tenant the user does not develop (dry run)', async () => {
    const res = await dryRun(
      'user:default/ann',
      [validate({ manifest: '${{ parameters.manifest }}' })],
      { tenant: 'acme', manifest: manifest('globex') },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "The namespace of the manifest 'globex' is not a tenant where you are a developer or operator",
    );
  });

  it('refuses a manifest of another tenant than the task’s, even one the user develops', async () => {
    const create = await scaffolder.as('user:default/dora').post('/v2/tasks', {
      templateRef: 'template:default/validate',
      values: { tenant: 'acme', manifest: manifest('globex') },
    });
    expect(create.status).toBe(201);
    const refused = await scaffolder.finished(create.body.id);
    expect(refused.status).toBe('failed');
    expect(refused.log).toContain(
      "The namespace of the manifest 'globex' is not this task's tenant 'acme'",
    );

    const own = await scaffolder.as('user:default/dora').post('/v2/tasks', {
      templateRef: 'template:default/validate',
      values: { tenant: 'globex', manifest: manifest('globex') },
    });
    expect((await scaffolder.finished(own.body.id)).status).toBe('completed');
  });
});
