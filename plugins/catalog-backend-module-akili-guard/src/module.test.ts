import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { Entity } from '@backstage/catalog-model';
import catalogModuleAkiliGuard from '.';
import { messagesOf, startCatalog } from './__testUtils__/catalogBackend';

jest.setTimeout(90_000);

const GLOBEX_SECRET = 'GLOBEX-SECRET-TEXT-4711';
const ACME_NOTES = 'ACME-NOTES-not-json-0815';
const ACME_BROKEN_YAML = 'ACME-BROKEN-YAML-2342';
const LOCAL_SECRET = 'LOCAL-SECRET-ON-THE-BACKEND-9999';

const component = (
  namespace: string,
  name: string,
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { namespace, name, ...extra },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:team' },
});

describe('catalog-backend-module-akili-guard', () => {
  const gitlab = new GitlabTestServer();
  let blob: (project: string, file: string) => string;
  let catalog: Awaited<ReturnType<typeof startCatalog>>;
  let localSecretFile: string;

  const requestsFor = (fragment: string) =>
    gitlab.requests.filter(r => decodeURIComponent(r).includes(fragment));
  /** Reads of the files no test may make the platform read for acme (the catalog polls the rest). */
  const forbiddenReadsSince = (index: number) =>
    gitlab.requests
      .slice(index)
      .filter(r => /secret\.txt|nope\.txt|more\.yaml/.test(r));

  beforeAll(async () => {
    await gitlab.start();
    blob = (project, file) =>
      `${gitlab.baseUrl}/data-products/${project}/-/blob/main/${file}`;
    const yaml = (...docs: object[]) =>
      docs.map(d => JSON.stringify(d)).join('\n---\n');

    localSecretFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'akili-guard-')),
      'secret.yaml',
    );
    fs.writeFileSync(localSecretFile, `${LOCAL_SECRET}: [unclosed\n`);

    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: {
        main: {
          'catalog-info.yaml': yaml(
            component('acme', 'orders-api', {
              description: { $text: './README.md' },
            }),
            // Tries to pull another tenant's file into an acme entity.
            component('acme', 'spy', {
              description: {
                $text: `${gitlab.baseUrl}/data-products/globex/fleet/-/blob/main/secret.txt`,
              },
            }),
            // Relations across the boundary: the shared group would list ownerOf acme's
            // component, the shared user globex's team, to every tenant.
            {
              ...component('acme', 'shared-owner'),
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: 'group:default/akili-platform',
              },
            },
            // A file of acme claiming another tenant's namespace.
            component('globex', 'impostor'),
            // TechDocs of acme's own folder, and of globex's project (climbing out of acme's).
            component('acme', 'documented', {
              annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
            }),
            component('acme', 'docs-spy', {
              annotations: {
                'backstage.io/techdocs-ref':
                  'dir:../../../../../globex/fleet/-/tree/main/',
              },
            }),
            // Tries to make the catalog read and ingest another tenant's file.
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Location',
              metadata: { namespace: 'acme', name: 'spy-location' },
              spec: {
                type: 'url',
                target: `${gitlab.baseUrl}/data-products/globex/fleet/-/blob/main/more.yaml`,
              },
            },
          ),
          'README.md': 'Orders API of acme',
          'notes.txt': ACME_NOTES,
          'broken.yaml': `key: [unclosed ${ACME_BROKEN_YAML}\n`,
        },
      },
    });
    // The platform's own project (outside the tenants' root group): shared people.
    gitlab.addProject({
      id: 3,
      pathWithNamespace: 'platform/people',
      defaultBranch: 'main',
      files: {
        main: {
          'users.yaml': yaml(
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'mallory' },
              spec: { memberOf: ['akili/acme.consumer', 'globex/fleet'] },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'alice' },
              spec: { memberOf: ['akili/acme.developer'] },
            },
          ),
        },
      },
    });
    gitlab.addProject({
      id: 2,
      pathWithNamespace: 'data-products/globex/fleet',
      defaultBranch: 'main',
      files: {
        main: {
          'catalog-info.yaml': yaml(component('globex', 'fleet-api')),
          'secret.txt': GLOBEX_SECRET,
          'more.yaml': yaml(component('globex', 'hidden')),
          'registered.yaml': yaml(component('globex', 'registered')),
        },
      },
    });

    catalog = await startCatalog({
      gitlab,
      modules: [catalogModuleAkiliGuard],
      locations: [
        blob('acme/orders', 'catalog-info.yaml'),
        blob('globex/fleet', 'catalog-info.yaml'),
        `${gitlab.baseUrl}/platform/people/-/blob/main/users.yaml`,
      ],
    });
    await catalog.waitForEntities([
      'component:acme/orders-api',
      'component:globex/fleet-api',
    ]);
  });

  afterAll(async () => {
    await gitlab.stop();
  });

  describe('ordinary processing', () => {
    it('resolves a placeholder inside the entity’s own tenant', async () => {
      const [orders] = await catalog.waitForEntities([
        'component:acme/orders-api',
      ]);
      expect(orders.metadata.description).toBe('Orders API of acme');
    });

    it('reads no file of another tenant for an acme entity or Location', async () => {
      // Both refusals are reported as processing errors of the acme entities.
      const deadline = Date.now() + 30_000;
      while (
        (!catalog.processingErrors.has('component:acme/spy') ||
          !catalog.processingErrors.has('location:acme/spy-location')) &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 200));
      }
      expect(catalog.processingErrors.get('component:acme/spy')?.[0]).toMatch(
        /Placeholder \$text may not read .*only files of the tenant/,
      );
      expect(
        catalog.processingErrors.get('location:acme/spy-location')?.[0],
      ).toMatch(/may not read .*only files of the tenant/);

      expect(requestsFor('secret.txt')).toEqual([]);
      expect(requestsFor('more.yaml')).toEqual([]);
      const spy = await catalog
        .as('root')
        .get('/api/catalog/entities/by-name/component/acme/spy');
      expect(JSON.stringify(spy.body)).not.toContain(GLOBEX_SECRET);
      const hidden = await catalog
        .as('root')
        .get('/api/catalog/entities/by-name/component/globex/hidden');
      expect(hidden.status).toBe(404);
    });
  });

  describe('namespaces', () => {
    it("refuses an entity of a tenant's source in another tenant's namespace", async () => {
      const deadline = Date.now() + 30_000;
      while (
        !catalog.processingErrors.has('component:globex/impostor') &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 200));
      }
      expect(
        catalog.processingErrors.get('component:globex/impostor')?.[0],
      ).toMatch(
        /InputError: component:globex\/impostor \(url:.*\/data-products\/acme\/orders\/.*\) is in namespace 'globex', but its source belongs to tenant 'acme'/,
      );
      const res = await catalog
        .as('root')
        .get('/api/catalog/entities/by-name/component/globex/impostor');
      expect(res.status).toBe(404);
    });
  });

  describe('TechDocs', () => {
    it("refuses an acme entity whose docs would be read from globex's project, keeps its own", async () => {
      const [documented] = await catalog.waitForEntities([
        'component:acme/documented',
      ]);
      // What TechDocs resolves dir:. against: the folder of the entity's own file.
      expect(
        documented.metadata.annotations?.['backstage.io/source-location'],
      ).toBe(`url:${blob('acme/orders', '')}`);
      const deadline = Date.now() + 30_000;
      while (
        !catalog.processingErrors.has('component:acme/docs-spy') &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 200));
      }
      expect(
        catalog.processingErrors.get('component:acme/docs-spy')?.[0],
      ).toContain(
        "InputError: component:acme/docs-spy: annotation backstage.io/techdocs-ref 'dir:../../../../../globex/fleet/-/tree/main/' is not allowed for an entity of tenant 'acme': TechDocs reads it with the platform's credentials, so it must be dir:<a folder of the entity's own repository>, relative, like dir:. or dir:docs (letters, digits, '.', '_', '-' and '/'; no '..', no leading '/', no URL)",
      );
      const res = await catalog
        .as('root')
        .get('/api/catalog/entities/by-name/component/acme/docs-spy');
      expect(res.status).toBe(404);
    });
  });

  describe('relations', () => {
    it('refuses an entity whose relations cross a tenant boundary, naming the field', async () => {
      const deadline = Date.now() + 30_000;
      while (
        (!catalog.processingErrors.has('component:acme/shared-owner') ||
          !catalog.processingErrors.has('user:default/mallory')) &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 200));
      }
      expect(
        catalog.processingErrors.get('component:acme/shared-owner')?.[0],
      ).toContain(
        "InputError: component:acme/shared-owner: spec.owner 'group:default/akili-platform' (group:default/akili-platform) is shared, the entity is tenant 'acme': relations stay inside a tenant, because the catalog shows a relation on both of its entities",
      );
      expect(catalog.processingErrors.get('user:default/mallory')?.[0]).toMatch(
        /InputError: user:default\/mallory: spec.memberOf 'globex\/fleet' \(group:globex\/fleet\) is tenant 'globex', the entity is shared/,
      );
      for (const ref of [
        'component/acme/shared-owner',
        'user/default/mallory',
      ]) {
        const res = await catalog
          .as('root')
          .get(`/api/catalog/entities/by-name/${ref}`);
        expect(res.status).toBe(404);
      }
      // Relations between shared namespaces (a user in a role group) stay.
      const [alice] = await catalog.waitForEntities(['user:default/alice']);
      expect(alice.relations).toContainEqual(
        expect.objectContaining({
          type: 'memberOf',
          targetRef: 'group:akili/acme.developer',
        }),
      );
    });
  });

  describe('POST /validate-entity', () => {
    const validate = (
      user: Parameters<typeof catalog.as>[0],
      entity: object,
      location: string,
    ) =>
      catalog.as(user).post('/api/catalog/validate-entity', {
        entity,
        location: `url:${location}`,
      });

    const textOf = (value: string, namespace = 'acme') =>
      component(namespace, 'probe', { description: { $text: value } });

    it('reads the caller’s own tenant’s file', async () => {
      const res = await validate(
        'alice',
        textOf('./README.md'),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(res.status).toBe(200);
    });

    it('refuses another tenant’s file, by absolute URL or relative to a base in that tenant, without reading it', async () => {
      const before = gitlab.requests.length;
      const answers = [];
      for (const [value, base] of [
        [blob('globex/fleet', 'secret.txt'), blob('acme/orders', 'x.yaml')],
        ['./secret.txt', blob('globex/fleet', 'catalog-info.yaml')],
        // The same for a file that does not exist: the answer must not differ.
        [blob('globex/fleet', 'nope.txt'), blob('acme/orders', 'x.yaml')],
        ['./nope.txt', blob('globex/fleet', 'catalog-info.yaml')],
      ]) {
        const res = await validate('alice', textOf(value), base);
        expect(res.status).toBe(400);
        const messages = res.body.errors.flatMap(messagesOf).join('\n');
        expect(messages).toContain(
          `Placeholder $text may not read '${value}': on your behalf, only files of tenants you develop or operate are read`,
        );
        expect(messages).not.toContain(GLOBEX_SECRET);
        answers.push(messages.split(value).join('<value>'));
      }
      expect(new Set(answers)).toEqual(new Set([answers[0]]));
      expect(forbiddenReadsSince(before)).toEqual([]);
    });

    it('reads for the other tenant’s own developer (the guard follows the caller)', async () => {
      const res = await validate(
        'bob',
        textOf('./secret.txt', 'globex'),
        blob('globex/fleet', 'catalog-info.yaml'),
      );
      expect(res.status).toBe(200);
    });

    it('never echoes a file’s content in a parse error ($json, $yaml)', async () => {
      const json = await validate(
        'alice',
        component('acme', 'probe', { description: { $json: './notes.txt' } }),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(json.status).toBe(400);
      expect(JSON.stringify(json.body)).toContain(
        "Placeholder $json found no valid JSON at './notes.txt'",
      );
      expect(JSON.stringify(json.body)).not.toContain('ACME-NOTES');

      const yamlRes = await validate(
        'alice',
        component('acme', 'probe', {
          description: { $yaml: './broken.yaml' },
        }),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(yamlRes.status).toBe(400);
      expect(JSON.stringify(yamlRes.body)).toContain(
        "Placeholder $yaml found invalid YAML at './broken.yaml'",
      );
      expect(JSON.stringify(yamlRes.body)).not.toContain(ACME_BROKEN_YAML);
    });

    it('refuses a Location entity pointing at another tenant’s or a local file, without reading it', async () => {
      const before = gitlab.requests.length;
      const location = (spec: object, annotations: object = {}) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { namespace: 'acme', name: 'probe', annotations },
        spec,
      });
      const remote = await validate(
        'alice',
        location({ type: 'url', target: blob('globex/fleet', 'more.yaml') }),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(remote.status).toBe(400);
      expect(JSON.stringify(remote.body)).toContain(
        'Location location:acme/probe may not read',
      );
      expect(JSON.stringify(remote.body)).not.toContain('hidden');

      // The entity's own annotations override the location the request names.
      const local = await validate(
        'alice',
        location(
          { type: 'file', target: localSecretFile },
          {
            'backstage.io/managed-by-location': `file:${localSecretFile}`,
            'backstage.io/managed-by-origin-location': `file:${localSecretFile}`,
          },
        ),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(local.status).toBe(400);
      expect(JSON.stringify(local.body)).not.toContain(LOCAL_SECRET);
      expect(forbiddenReadsSince(before)).toEqual([]);
    });

    it('applies through the catalog’s validate-entity action too', async () => {
      const before = gitlab.requests.length;
      const res = await catalog
        .as('alice')
        .post(
          '/api/catalog/.backstage/actions/v1/actions/catalog:validate-entity/invoke',
          {
            entity: JSON.stringify(textOf('./secret.txt')),
            location: `url:${blob('globex/fleet', 'catalog-info.yaml')}`,
          },
        );
      expect(res.status).toBe(200);
      expect(res.body.output.isValid).toBe(false);
      expect(res.body.output.errors.join('\n')).toContain(
        'Placeholder $text may not read',
      );
      expect(JSON.stringify(res.body)).not.toContain(GLOBEX_SECRET);
      expect(forbiddenReadsSince(before)).toEqual([]);
    });

    it('is for developers and operators only (policy)', async () => {
      const res = await validate(
        'carl',
        textOf('./README.md'),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(res.status).toBe(403);
    });

    it('holds platform admins to the entity’s own source', async () => {
      const cross = await validate(
        'root',
        textOf(blob('globex/fleet', 'secret.txt')),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(cross.status).toBe(400);
      expect(JSON.stringify(cross.body)).not.toContain(GLOBEX_SECRET);
      const own = await validate(
        'root',
        textOf('./secret.txt', 'globex'),
        blob('globex/fleet', 'catalog-info.yaml'),
      );
      expect(own.status).toBe(200);
      // An entity of another namespace than its source's tenant is refused, admins too.
      const claimed = await validate(
        'root',
        textOf('./README.md', 'globex'),
        blob('acme/orders', 'catalog-info.yaml'),
      );
      expect(claimed.status).toBe(400);
      expect(JSON.stringify(claimed.body)).toContain(
        "is in namespace 'globex', but its source belongs to tenant 'acme'",
      );
    });
  });

  describe('answers for another tenant’s entity or location equal those for a missing one', () => {
    /** Status and error (name, message with the asked name replaced) of an answer. */
    const shape = (
      res: { status: number; body: any },
      asked: string,
    ): unknown => ({
      status: res.status,
      error: res.body?.error && {
        name: res.body.error.name,
        message: String(res.body.error.message).split(asked).join('<asked>'),
      },
      body: res.body?.error ? undefined : res.body,
    });

    let globexUid: string;
    let globexLocationId: string;

    beforeAll(async () => {
      const [fleet] = (await catalog.waitForEntities([
        'component:globex/fleet-api',
      ])) as Entity[];
      globexUid = fleet.metadata.uid!;
      // A location registered through the API (configured ones are not listed by id).
      const registered = await catalog
        .as('root')
        .post('/api/catalog/locations', {
          type: 'url',
          target: blob('globex/fleet', 'registered.yaml'),
        });
      if (registered.status !== 201) {
        throw new Error(`could not register a location: ${registered.text}`);
      }
      globexLocationId = registered.body.location.id;
    });

    it.each(['alice', 'otto', 'carl'] as const)('for %s', async user => {
      const as = catalog.as(user);
      const pairs: Array<[string, (asked: string) => Promise<unknown>]> = [
        [
          'by-name',
          async name =>
            shape(
              await as.get(
                `/api/catalog/entities/by-name/component/globex/${name}`,
              ),
              name,
            ),
        ],
        [
          'ancestry',
          async name =>
            shape(
              await as.get(
                `/api/catalog/entities/by-name/component/globex/${name}/ancestry`,
              ),
              name,
            ),
        ],
        [
          'by-refs',
          async name =>
            shape(
              await as.post('/api/catalog/entities/by-refs', {
                entityRefs: [`component:globex/${name}`],
              }),
              name,
            ),
        ],
        [
          'refresh',
          async name =>
            shape(
              await as.post('/api/catalog/refresh', {
                entityRef: `component:globex/${name}`,
              }),
              name,
            ),
        ],
        [
          'locations by entity',
          async name =>
            shape(
              await as.get(
                `/api/catalog/locations/by-entity/component/globex/${name}`,
              ),
              name,
            ),
        ],
        [
          'by-query',
          async name =>
            shape(
              await as.get(
                `/api/catalog/entities/by-query?filter=metadata.name=${name}`,
              ),
              name,
            ),
        ],
        [
          'facets',
          async name =>
            shape(
              await as.get(
                `/api/catalog/entity-facets?facet=metadata.name&filter=metadata.name=${name}`,
              ),
              name,
            ),
        ],
      ];
      for (const [route, call] of pairs) {
        expect({ route, answer: await call('fleet-api') }).toEqual({
          route,
          answer: await call('no-such-entity'),
        });
      }

      const byUid = async (uid: string) =>
        shape(await as.get(`/api/catalog/entities/by-uid/${uid}`), uid);
      expect(await byUid(globexUid)).toEqual(
        await byUid('00000000-0000-4000-8000-000000000000'),
      );
      const deleteByUid = async (uid: string) =>
        shape(await as.delete(`/api/catalog/entities/by-uid/${uid}`), uid);
      expect(await deleteByUid(globexUid)).toEqual(
        await deleteByUid('00000000-0000-4000-8000-000000000000'),
      );
      const locationById = async (id: string) =>
        shape(await as.get(`/api/catalog/locations/${id}`), id);
      expect(await locationById(globexLocationId)).toEqual(
        await locationById('00000000-0000-4000-8000-000000000000'),
      );
      const deleteLocation = async (id: string) =>
        shape(await as.delete(`/api/catalog/locations/${id}`), id);
      expect(await deleteLocation(globexLocationId)).toEqual(
        await deleteLocation('00000000-0000-4000-8000-000000000000'),
      );
    });

    it('lists no location to tenant members', async () => {
      for (const user of ['alice', 'otto', 'carl', 'bob'] as const) {
        const list = await catalog.as(user).get('/api/catalog/locations');
        expect(list.status).toBe(200);
        expect(list.body).toEqual([]);
        const query = await catalog
          .as(user)
          .post('/api/catalog/locations/by-query', {});
        expect(query.body.items).toEqual([]);
      }
      const admin = await catalog.as('root').get('/api/catalog/locations');
      expect(admin.body.map((l: any) => l.data.id)).toContain(globexLocationId);
    });

    it('still answers members for their own tenant', async () => {
      const own = await catalog
        .as('alice')
        .get('/api/catalog/entities/by-name/component/acme/orders-api');
      expect(own.status).toBe(200);
      const refresh = await catalog.as('otto').post('/api/catalog/refresh', {
        entityRef: 'component:acme/orders-api',
      });
      expect(refresh.status).toBe(200);
    });
  });
});
