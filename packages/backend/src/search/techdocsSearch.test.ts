import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  BackendFeature,
  BackstageUserPrincipal,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { createPermission } from '@backstage/plugin-permission-common';
import searchPlugin from '@backstage/plugin-search-backend';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import techdocsCollatorModule from '@backstage/plugin-search-backend-module-techdocs';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import permissionModuleAkiliPolicy from '@akili/plugin-permission-backend-module-akili-policy';
import { authKeepingActor } from '@akili/plugin-akili-node/testUtils';

jest.setTimeout(120_000);

/**
 * TechDocs documents in the portal's search, for their entity's readers only: the search
 * backend asks the policy about each document's `authorization.resourceRef` (the entity's ref)
 * with `catalog.entity.read`, the TechDocs type's visibility permission, and the policy's
 * condition (the shared namespace and the user's tenants) is evaluated by the catalog.
 *
 * Two collators make the documents: a stand-in that emits them exactly as
 * `@backstage/plugin-search-backend-module-techdocs` (0.4.18, `DefaultTechDocsCollatorFactory`)
 * does (type `techdocs`, visibility `catalog.entity.read`, `authorization.resourceRef`), which
 * shows the rule on documents of known shape; and the module itself, reading each entity's
 * published `search/search_index.json` from the TechDocs backend (local publisher, builder
 * `external`: no MkDocs needed) with its own service token.
 */

/** The users and the ownership refs their tokens carry (the Akili roles). */
const USERS = {
  /** Developer of acme. */
  alice: ['user:default/alice', 'group:akili/acme.developer'],
  /** Consumer of acme. */
  carl: ['user:default/carl', 'group:akili/acme.consumer'],
  /** Developer of globex. */
  bob: ['user:default/bob', 'group:akili/globex.developer'],
  /** Platform admin. */
  root: ['user:default/root', 'group:akili/platform-admin'],
} as const;
type User = keyof typeof USERS;

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
      const user = Object.values(USERS).find(refs => refs[0] === userEntityRef);
      return {
        userEntityRef,
        ownershipEntityRefs: user ? [...user] : [userEntityRef],
      };
    },
  }),
});

/** Words every entity's docs hold, and one only globex's hold. */
const SHARED_WORD = 'runbook';
const GLOBEX_WORD = 'zebrafleet';

const ENTITIES = [
  { namespace: 'acme', name: 'orders-api', text: `acme orders ${SHARED_WORD}` },
  {
    namespace: 'globex',
    name: 'fleet-api',
    text: `globex fleet ${SHARED_WORD} ${GLOBEX_WORD}`,
  },
  {
    namespace: 'default',
    name: 'platform-guide',
    text: `shared guide ${SHARED_WORD}`,
  },
];

/** The pages of an entity's docs, as MkDocs writes them into `search/search_index.json`. */
const pagesOf = (e: (typeof ENTITIES)[number]) => [
  { location: '', title: `${e.name} docs`, text: e.text },
  { location: 'ops/', title: `${e.name} operations`, text: e.text },
];

/** The stand-in: the documents of DefaultTechDocsCollatorFactory, field by field. */
const techdocsLikeCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'test-techdocs-like-collator',
  register(reg) {
    reg.registerInit({
      deps: {
        indexRegistry: searchIndexRegistryExtensionPoint,
        scheduler: coreServices.scheduler,
      },
      async init({ indexRegistry, scheduler }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { seconds: 2 },
            timeout: { seconds: 30 },
          }),
          factory: {
            type: 'techdocs',
            visibilityPermission: createPermission({
              name: 'catalog.entity.read',
              attributes: { action: 'read' },
              resourceType: 'catalog-entity',
            }),
            async getCollator() {
              const { Readable } = await import('node:stream');
              return Readable.from(
                ENTITIES.flatMap(e =>
                  pagesOf(e).map(page => ({
                    title: page.title,
                    text: page.text,
                    location: `/docs/${e.namespace}/component/${e.name}/${page.location}`,
                    path: page.location,
                    namespace: e.namespace,
                    kind: 'component',
                    name: e.name,
                    entityTitle: undefined,
                    componentType: 'service',
                    lifecycle: 'production',
                    owner: 'team',
                    authorization: {
                      resourceRef: stringifyEntityRef({
                        kind: 'component',
                        namespace: e.namespace,
                        name: e.name,
                      }),
                    },
                  })),
                ),
              );
            },
          },
        });
      },
    });
  },
});

const COLLATORS: Array<[string, BackendFeature]> = [
  ['the TechDocs collator’s documents (stand-in)', techdocsLikeCollator],
  ['@backstage/plugin-search-backend-module-techdocs', techdocsCollatorModule],
];

describe.each(COLLATORS)('TechDocs in search: %s', (_name, collator) => {
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-techdocs-'));
    // The catalog: one component with docs in each of acme, globex and the shared namespace.
    fs.writeFileSync(
      path.join(dir, 'entities.yaml'),
      ENTITIES.map(e =>
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            namespace: e.namespace,
            name: e.name,
            annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
          },
          spec: { type: 'service', lifecycle: 'production', owner: 'team' },
        }),
      ).join('\n---\n'),
    );
    // The published docs, as TechDocs' local publisher stores them (what the module reads).
    for (const e of ENTITIES) {
      const site = path.join(dir, 'site', e.namespace, 'component', e.name);
      fs.mkdirSync(path.join(site, 'search'), { recursive: true });
      fs.writeFileSync(
        path.join(site, 'techdocs_metadata.json'),
        JSON.stringify({ site_name: e.name, site_description: '', etag: '1' }),
      );
      fs.writeFileSync(
        path.join(site, 'search', 'search_index.json'),
        JSON.stringify({ config: {}, docs: pagesOf(e) }),
      );
    }

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        permissionModuleAkiliPolicy,
        searchPlugin,
        techdocsPlugin,
        collator,
        userInfo,
        authKeepingActor,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Component'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'entities.yaml') },
              ],
            },
            techdocs: {
              builder: 'external',
              publisher: {
                type: 'local',
                local: { publishDirectory: path.join(dir, 'site') },
              },
            },
            search: {
              collators: {
                techdocs: {
                  schedule: {
                    frequency: { seconds: 2 },
                    timeout: { seconds: 30 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const query = (user: User, params: string) =>
    request(server)
      .get(`/api/search/query?${params}`)
      .set('Authorization', mockCredentials.user.header(USERS[user][0]));

  /**
   * The entity of a result, by its location (`/docs/<namespace>/<kind>/<name>/<path>`): the
   * search backend answers documents without their `authorization`.
   */
  const entityOf = (document: { location: string }) => {
    const [, docs, namespace, kind, name] = document.location.split('/');
    return docs === 'docs' ? `${kind}:${namespace}/${name}` : document.location;
  };

  /** The entity refs of a query's results, sorted, and the whole answer. */
  const refsOf = async (user: User, params: string) => {
    const res = await query(user, params);
    expect({ user, params, status: res.status, error: res.body.error }).toEqual(
      { user, params, status: 200, error: undefined },
    );
    const refs = (
      res.body.results as Array<{
        type: string;
        document: { location: string };
      }>
    ).map(r => `${r.type} ${entityOf(r.document)}`);
    return { refs: [...new Set(refs)].sort(), body: res.body };
  };

  /** Waits until the collator has run and the catalog holds the entities. */
  const waitForIndex = async () => {
    const params = `term=${SHARED_WORD}&types%5B0%5D=techdocs`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      // Before the first collation the engine answers 500 (MissingIndexError).
      const [own, all] = await Promise.all([
        query('alice', params),
        query('root', params),
      ]);
      const count = (res: request.Response) =>
        res.status === 200
          ? new Set(res.body.results.map((r: any) => entityOf(r.document))).size
          : 0;
      if (count(own) >= 2 && count(all) === 3) return;
      if (Date.now() > deadline) {
        throw new Error(
          `not indexed: alice ${own.status} ${own.text}, root ${all.status} ${all.text}`,
        );
      }
      await new Promise(r => setTimeout(r, 500));
    }
  };

  it('shows each user the docs of their tenants and the shared namespace, never another tenant’s', async () => {
    await waitForIndex();
    const acmeAndShared = [
      'techdocs component:acme/orders-api',
      'techdocs component:default/platform-guide',
    ];
    for (const [user, expected] of [
      ['alice', acmeAndShared],
      ['carl', acmeAndShared],
      [
        'bob',
        [
          'techdocs component:default/platform-guide',
          'techdocs component:globex/fleet-api',
        ],
      ],
      [
        'root',
        [
          'techdocs component:acme/orders-api',
          'techdocs component:default/platform-guide',
          'techdocs component:globex/fleet-api',
        ],
      ],
    ] as const) {
      for (const params of [
        `term=${SHARED_WORD}&types%5B0%5D=techdocs`,
        `term=${SHARED_WORD}`,
        `term=${SHARED_WORD}&types%5B0%5D=techdocs&pageLimit=100`,
      ]) {
        const { refs } = await refsOf(user, params);
        expect({ user, params, refs }).toEqual({
          user,
          params,
          refs: expected,
        });
      }
    }
  });

  it('gives no count, page or trace of another tenant’s docs', async () => {
    await waitForIndex();
    // Only globex's docs hold the word: acme's users get the answer of a word found nowhere.
    for (const user of ['alice', 'carl'] as const) {
      for (const params of [
        `term=${GLOBEX_WORD}&types%5B0%5D=techdocs`,
        `term=${GLOBEX_WORD}`,
        `term=${GLOBEX_WORD}&types%5B0%5D=techdocs&pageLimit=1`,
      ]) {
        const found = await query(user, params);
        const nowhere = await query(
          user,
          params.replace(GLOBEX_WORD, 'nosuchwordanywhere'),
        );
        expect({ user, params, status: found.status }).toEqual({
          user,
          params,
          status: 200,
        });
        expect({ user, params, body: found.body }).toEqual({
          user,
          params,
          body: nowhere.body,
        });
        expect(found.body.results).toEqual([]);
        expect(found.body.nextPageCursor).toBeUndefined();
        expect(found.body.numberOfResults ?? 0).toBe(0);
        expect(found.text).not.toContain('globex');
      }
    }
    // The docs are there: their own tenant finds them.
    const { refs } = await refsOf(
      'bob',
      `term=${GLOBEX_WORD}&types%5B0%5D=techdocs`,
    );
    expect(refs).toEqual(['techdocs component:globex/fleet-api']);
  });

  it('pages through a user’s own docs without counting the hidden ones', async () => {
    await waitForIndex();
    // Two pages of docs per entity: acme's user sees 4 documents, one per page.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await query(
        'alice',
        `term=${SHARED_WORD}&types%5B0%5D=techdocs&pageLimit=1${
          cursor ? `&pageCursor=${encodeURIComponent(cursor)}` : ''
        }`,
      );
      expect(res.status).toBe(200);
      expect(res.body.numberOfResults).toBeUndefined();
      seen.push(...res.body.results.map((r: any) => entityOf(r.document)));
      cursor = res.body.nextPageCursor;
    } while (cursor && seen.length < 20);
    expect(seen.sort()).toEqual([
      'component:acme/orders-api',
      'component:acme/orders-api',
      'component:default/platform-guide',
      'component:default/platform-guide',
    ]);
  });
});
