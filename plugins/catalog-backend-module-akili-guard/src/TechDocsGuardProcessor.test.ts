import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { LocationSpec } from '@backstage/plugin-catalog-node';
// TechDocs' own resolution of an entity's docs (what its local builder reads), to check what the
// guard lets through against it; the techdocs backend of the portal brings the package (the lead
// adds it to this package's devDependencies: no package.json change in this commit).
// eslint-disable-next-line @backstage/no-undeclared-imports
import { getLocationForEntity } from '@backstage/plugin-techdocs-node';
import {
  TECHDOCS_ENTITY_ANNOTATION,
  TECHDOCS_REF_ANNOTATION,
  TechDocsGuardProcessor,
} from './TechDocsGuardProcessor';
import { SourceTenancy } from './sources';

const config = new ConfigReader({
  backend: { baseUrl: 'http://localhost:7007' },
  integrations: {
    gitlab: [
      {
        host: 'gitlab.example.com',
        apiBaseUrl: 'https://gitlab.example.com/api/v4',
        token: 't',
      },
    ],
  },
  akili: { tenancy: { gitlab: { rootGroup: 'data-products' } } },
});
const integrations = ScmIntegrations.fromConfig(config);
const processor = new TechDocsGuardProcessor(
  SourceTenancy.fromConfig(config),
  integrations,
);

const GITLAB = 'https://gitlab.example.com';
/** The folder of acme's manifest: where its docs must stay. */
const ACME_ROOT = `${GITLAB}/data-products/acme/orders/-/blob/main/`;
const acmeFile: LocationSpec = {
  type: 'url',
  target: `${ACME_ROOT}dataproduct.yaml`,
};
const GLOBEX_TREE = `${GITLAB}/data-products/globex/fleet/-/tree/main/`;
const registryEntry: LocationSpec = {
  type: 'url',
  target: 'http://localhost:7007/api/akili/v1/tenants/acme/products/orders',
};

const entity = (
  annotations: Record<string, string>,
  namespace = 'acme',
): Entity => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace, annotations },
  spec: {},
});

/** The entity as the catalog stores it: its managed-by location is where it was read from. */
const stored = (e: Entity, location: LocationSpec): Entity => ({
  ...e,
  metadata: {
    ...e.metadata,
    annotations: {
      ...e.metadata.annotations,
      [ANNOTATION_LOCATION]: `${location.type}:${location.target}`,
    },
  },
});

/** Where TechDocs' local builder would read the stored entity's docs from. */
const techdocsReads = (e: Entity, location: LocationSpec) =>
  getLocationForEntity(stored(e, location), integrations).target;

const refusal = async (e: Entity, location: LocationSpec = acmeFile) => {
  try {
    await processor.preProcessEntity(e, location);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return undefined;
};

describe('TechDocsGuardProcessor', () => {
  describe('backstage.io/techdocs-ref of an entity of a tenant source', () => {
    it.each([
      ['dir:.', {}],
      ['dir:./', {}],
      ['dir:docs', {}],
      ['dir:./docs/', {}],
      ['dir:product/docs', {}],
      // After the catalog's own annotation (the folder of the entity's file)...
      ['dir:.', { [ANNOTATION_SOURCE_LOCATION]: `url:${ACME_ROOT}` }],
      // ... or a folder below it that the file claims.
      ['dir:.', { [ANNOTATION_SOURCE_LOCATION]: `url:${ACME_ROOT}docs/` }],
    ])(
      'lets %s (with %j) through, and TechDocs then reads inside the entity’s folder',
      async (ref, more) => {
        const e = entity({ [TECHDOCS_REF_ANNOTATION]: ref, ...more });
        await expect(processor.preProcessEntity(e, acmeFile)).resolves.toBe(e);
        expect(techdocsReads(e, acmeFile).startsWith(ACME_ROOT)).toBe(true);
      },
    );

    it.each([
      // Another tenant's project, by URL or by climbing out of acme's.
      `url:${GLOBEX_TREE}`,
      `dir:${GLOBEX_TREE}`,
      'dir:../../../../../globex/fleet/-/tree/main/',
      'dir:../../other',
      'dir:docs/../..',
      // Encoded dot segments and separators: URLs resolve %2e%2e as '..'.
      'dir:%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/globex/fleet/-/tree/main/',
      'dir:.%2e/.%2e',
      'dir:docs%2F..%2F..',
      // A backslash starts another host in a URL; '//' as well.
      'dir:\\\\evil.example\\docs',
      'dir://evil.example/docs',
      'dir:/abs',
      'dir:/',
      'dir:docs//x',
      'dir:',
      'docs',
      'file:/etc',
      'url:./docs',
    ])(
      'refuses %s, naming the entity, the annotation and the form',
      async ref => {
        const message = await refusal(
          entity({ [TECHDOCS_REF_ANNOTATION]: ref }),
        );
        expect(message).toContain(
          `InputError: dataproduct:acme/orders: annotation backstage.io/techdocs-ref '${ref}' is not allowed for an entity of tenant 'acme'`,
        );
        expect(message).toContain('it must be dir:<a folder of the entity');
      },
    );

    it.each([
      `url:${GLOBEX_TREE}`,
      'dir:../../../../../globex/fleet/-/tree/main/',
      'dir:%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/globex/fleet/-/tree/main/',
      `dir:${GLOBEX_TREE}`,
      'dir:\\\\evil.example\\docs',
    ])(
      'refuses %s, which TechDocs would read from outside acme’s project',
      async ref => {
        const e = entity({ [TECHDOCS_REF_ANNOTATION]: ref });
        // The leak the guard stops: TechDocs' own resolution leaves acme's project.
        expect(techdocsReads(e, acmeFile)).not.toContain(
          '/data-products/acme/orders/',
        );
        expect(await refusal(e)).toBeDefined();
      },
    );

    it.each([
      // Another tenant's project, resolved against by a plain dir:.
      `url:${GLOBEX_TREE}`,
      // Another project of the same tenant: still not the entity's own repository.
      `url:${GITLAB}/data-products/acme/other/-/blob/main/`,
      `url:${ACME_ROOT}../../../../../globex/fleet/-/tree/main/`,
      `url:${ACME_ROOT}%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/globex/fleet/-/tree/main/`,
      // The backend's disk.
      'file:/etc/passwd',
      'not a location',
    ])(
      'refuses a claimed source location %s that dir: would resolve against',
      async sourceLocation => {
        const e = entity({
          [TECHDOCS_REF_ANNOTATION]: 'dir:.',
          [ANNOTATION_SOURCE_LOCATION]: sourceLocation,
        });
        expect(await refusal(e)).toContain(
          `InputError: dataproduct:acme/orders: annotation backstage.io/source-location '${sourceLocation}' is not allowed for an entity of tenant 'acme': TechDocs resolves backstage.io/techdocs-ref against it, so it must be a url: inside the folder of the entity's own file (${ACME_ROOT}), or left out`,
        );
      },
    );

    it('keeps a product of the registry inside its registry entry', async () => {
      const own = entity({ [TECHDOCS_REF_ANNOTATION]: 'dir:.' });
      await expect(
        processor.preProcessEntity(own, registryEntry),
      ).resolves.toBe(own);
      expect(techdocsReads(own, registryEntry)).toBe(
        'http://localhost:7007/api/akili/v1/tenants/acme/products/',
      );
      for (const e of [
        entity({ [TECHDOCS_REF_ANNOTATION]: `url:${GLOBEX_TREE}` }),
        entity({
          [TECHDOCS_REF_ANNOTATION]: 'dir:.',
          [ANNOTATION_SOURCE_LOCATION]: `url:${GLOBEX_TREE}`,
        }),
        entity({ [TECHDOCS_REF_ANNOTATION]: 'dir:../../globex/products/x' }),
      ]) {
        expect(await refusal(e, registryEntry)).toMatch(
          /^InputError: dataproduct:acme\/orders: annotation .* is not allowed for an entity of tenant 'acme'/,
        );
      }
    });
  });

  describe('backstage.io/techdocs-entity', () => {
    it.each([
      'component:default/platform-guide',
      'component:acme/orders-api',
      'orders-api',
      'component:orders-api',
    ])('lets %s through (own tenant or shared)', async ref => {
      const e = entity({ [TECHDOCS_ENTITY_ANNOTATION]: ref });
      await expect(processor.preProcessEntity(e, acmeFile)).resolves.toBe(e);
    });

    it.each(['component:globex/fleet-api', 'dataproduct:GLOBEX/fleet'])(
      'refuses %s, an entity of another tenant',
      async ref => {
        expect(
          await refusal(entity({ [TECHDOCS_ENTITY_ANNOTATION]: ref })),
        ).toContain(
          `InputError: dataproduct:acme/orders: annotation backstage.io/techdocs-entity '${ref}' is not allowed for an entity of tenant 'acme': it names an entity of tenant 'globex'`,
        );
      },
    );
  });

  it('leaves the platform’s own sources alone (local files, projects outside the root group)', async () => {
    for (const location of [
      { type: 'file', target: '/srv/akili/examples/all.yaml' },
      {
        type: 'url',
        target: `${GITLAB}/platform/guide/-/blob/main/catalog-info.yaml`,
      },
    ]) {
      const e = entity(
        {
          [TECHDOCS_REF_ANNOTATION]: `url:${GITLAB}/platform/guide/-/tree/main/`,
          [TECHDOCS_ENTITY_ANNOTATION]: 'component:globex/fleet-api',
        },
        'default',
      );
      await expect(processor.preProcessEntity(e, location)).resolves.toBe(e);
    }
  });

  it('leaves entities without TechDocs annotations alone', async () => {
    const e = entity({ [ANNOTATION_SOURCE_LOCATION]: `url:${GLOBEX_TREE}` });
    await expect(processor.preProcessEntity(e, acmeFile)).resolves.toBe(e);
  });
});
