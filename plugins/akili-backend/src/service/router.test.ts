import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import { akiliPlugin } from '../plugin';

const good = `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: orders
  namespace: acme
spec:
  type: source-aligned
  lifecycle: production
  owner: acme-sales-analytics
  domain: sales
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: orders }
      schema:
        - name: order_id
          type: string
`;

describe('POST /api/akili/v1/manifests/validate', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({ features: [akiliPlugin] }));
  });

  const post = (body: string, type = 'application/yaml') =>
    request(server)
      .post('/api/akili/v1/manifests/validate')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', type)
      .send(body);

  it('answers valid for a good manifest', async () => {
    const res = await post(good);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      kind: 'akili',
      errors: [],
      warnings: [],
    });
  });

  it('reads an official ODCS example as written: valid, with warnings for what Akili cannot use', async () => {
    const text = fs.readFileSync(
      path.join(
        path.dirname(
          require.resolve('@akili/plugin-akili-common/package.json'),
        ),
        'src/standards/__fixtures__/bitol/odcs/quality/column-custom.odcs.yaml',
      ),
      'utf8',
    );
    const res = await post(text);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, kind: 'odcs', errors: [] });
    expect(res.body.warnings).toContainEqual(
      expect.objectContaining({
        path: '$.schema[0].properties[0].quality[0].engine',
        line: 27,
      }),
    );
  });

  it('lists problems with path, line and column', async () => {
    const res = await post(
      good.replace('lifecycle: production', 'lifecycle: forever'),
    );
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.kind).toBe('akili');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '$.spec.lifecycle',
          line: 8,
          column: expect.any(Number),
        }),
      ]),
    );
  });

  it('reads JSON with line numbers too', async () => {
    const json = JSON.stringify(
      {
        apiVersion: 'akili.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'Bad Name', namespace: 'acme' },
      },
      null,
      2,
    );
    const res = await post(json, 'application/json');
    expect(res.status).toBe(200);
    const nameError = res.body.errors.find(
      (e: any) => e.path === '$.metadata.name',
    );
    expect(nameError).toMatchObject({ line: 5 });
  });

  it('answers 400 naming the line and column for unreadable YAML', async () => {
    const res = await post(
      'apiVersion: akili.io/v1alpha1\nmetadata: [unclosed\n',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(/line \d+, column \d+/);
  });

  it('refuses an oversized manifest and a missing body', async () => {
    const big = await post(`${good}# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`);
    expect([400, 413]).toContain(big.status);
    expect(JSON.stringify(big.body)).toMatch(/limit|large/i);
    const none = await request(server)
      .post('/api/akili/v1/manifests/validate')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', 'image/png')
      .send(Buffer.from('x'));
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe('unsupported media type image/png');
  });

  it('serves its OpenAPI spec, and refuses a request the spec does not describe with a 400 naming the field', async () => {
    const spec = await request(server)
      .get('/api/akili/openapi.json')
      .set('Authorization', mockCredentials.user.header());
    expect(spec.status).toBe(200);
    expect(spec.body.info.title).toBe('akili');
    expect(spec.body.paths).toHaveProperty(
      ['/api/akili/v1/manifests/validate', 'post', 'operationId'],
      'ValidateManifest',
    );
    const unknown = await request(server)
      .post('/api/akili/v1/manifests/validate?strict=true')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', 'application/yaml')
      .send(good);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("Unknown query parameter 'strict'");
  });

  it('requires credentials', async () => {
    const res = await request(server)
      .post('/api/akili/v1/manifests/validate')
      .set('Authorization', mockCredentials.none.header())
      .set('Content-Type', 'application/yaml')
      .send(good);
    expect(res.status).toBe(401);
  });
});
