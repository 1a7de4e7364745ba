import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  paymentsLedgerFiles,
  testManifestYaml,
} from '../__testUtils__/manifests';
import { ANNOTATION_MANIFEST_ERRORS } from './annotations';
import { manifestsToEntities, parseOnThisThread } from './manifestsToEntities';
import { ManifestFile } from './types';

// The first validation compiles the manifest schemas, which is slow on a busy machine.
jest.setTimeout(90_000);

/** A file of `tenant`'s folder (`/src/<tenant>/<rel>`) as a folder source reads it. */
function file(
  tenant: string | undefined,
  rel: string,
  text: string,
): ManifestFile {
  return {
    target: `/src/${tenant ?? '_'}/${rel}`,
    locationType: 'file',
    fileName: rel.split('/').pop()!,
    tenant,
    text,
  };
}

const refs = (entities: Entity[]) => entities.map(e => stringifyEntityRef(e));
const errorsOf = (entities: Entity[], ref: string) =>
  entities.find(e => stringifyEntityRef(e) === ref)?.metadata.annotations?.[
    ANNOTATION_MANIFEST_ERRORS
  ];
const noKnownRefs = new Map<string, string>();

describe('manifestsToEntities', () => {
  it("refuses a manifest whose namespace is not its source's tenant, naming the file, the claim and the tenant", async () => {
    const liar = file(
      'acme',
      'shipments/dataproduct.yaml',
      testManifestYaml('globex', 'shipments'),
    );
    const result = await manifestsToEntities(
      [
        liar,
        file(
          'globex',
          'shipments/dataproduct.yaml',
          testManifestYaml('globex', 'shipments', { title: 'The real one' }),
        ),
      ],
      { knownRefs: noKnownRefs },
    );
    const real = result.entities.find(
      e => stringifyEntityRef(e) === 'dataproduct:globex/shipments',
    )!;
    expect(real.metadata.title).toBe('The real one');
    expect(real.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS]).toBe(
      undefined,
    );
    expect(result.problems).toEqual([
      {
        target: liar.target,
        problems: [
          {
            path: '$.metadata.namespace',
            message: `${liar.target} claims namespace 'globex', but its source is tenant 'acme': a manifest's namespace must be the tenant of the place it comes from`,
          },
        ],
      },
    ]);
    // The refusal is shown on the name in the file's own tenant, never on globex's product.
    expect(errorsOf(result.entities, 'dataproduct:acme/shipments')).toContain(
      "claims namespace 'globex'",
    );
  });

  it("keeps a failing file's marker inside its tenant, whatever the file names (guessed refs)", async () => {
    // Broken (type is not a string) and naming globex's product, read before globex's file.
    const broken = file(
      'acme',
      'a/dataproduct.yaml',
      testManifestYaml('globex', 'fleet').replace(
        'type: source-aligned',
        'type: 42',
      ),
    );
    const result = await manifestsToEntities(
      [
        broken,
        file(
          'globex',
          'fleet/dataproduct.yaml',
          testManifestYaml('globex', 'fleet'),
        ),
      ],
      // Even what the file held last time does not move it out of its tenant.
      { knownRefs: new Map([[broken.target, 'dataproduct:globex/fleet']]) },
    );
    expect(refs(result.entities).sort()).toEqual([
      'dataproduct:acme/fleet',
      'dataproduct:globex/fleet',
    ]);
    expect(errorsOf(result.entities, 'dataproduct:globex/fleet')).toBe(
      undefined,
    );
    expect(errorsOf(result.entities, 'dataproduct:acme/fleet')).toContain(
      '$.spec.type',
    );
  });

  it('lets a valid file keep its product whatever the order of a failing file of the same name', async () => {
    const broken = file(
      'acme',
      'a-copy/dataproduct.yaml',
      testManifestYaml('acme', 'orders').replace('lifecycle: production', ''),
    );
    const good = file(
      'acme',
      'orders/dataproduct.yaml',
      testManifestYaml('acme', 'orders'),
    );
    for (const files of [
      [broken, good],
      [good, broken],
    ]) {
      const result = await manifestsToEntities(files, {
        knownRefs: noKnownRefs,
      });
      expect(refs(result.entities)).toEqual(['dataproduct:acme/orders']);
      expect(errorsOf(result.entities, 'dataproduct:acme/orders')).toBe(
        undefined,
      );
    }
  });

  it('refuses a file that is in no tenant’s place', async () => {
    const stray = file(
      undefined,
      'dataproduct.yaml',
      testManifestYaml('acme', 'orders'),
    );
    const result = await manifestsToEntities([stray], {
      knownRefs: noKnownRefs,
    });
    expect(result.entities).toEqual([]);
    expect(result.problems[0].problems[0].message).toContain(
      'belongs to no tenant',
    );
  });

  it('keys ODCS contracts by tenant: a contract of the same id from another tenant never fills a product', async () => {
    const initech = paymentsLedgerFiles('initech');
    // Another tenant's contract with initech's id, read after initech's own.
    const foreign = paymentsLedgerFiles('zeta')[
      'ledger-entries.odcs.yaml'
    ].replace('description: UUID of the entry.', 'description: FOREIGN');
    expect(foreign).toContain('FOREIGN');
    // And an acme product naming initech's contracts without having them.
    const acme = paymentsLedgerFiles('acme')['payments-ledger.odps.yaml'];
    const files = [
      file('acme', 'ledger/payments-ledger.odps.yaml', acme),
      ...Object.entries(initech).map(([name, text]) =>
        file('initech', `payments-ledger/${name}`, text),
      ),
      file('zeta', 'x/ledger-entries.odcs.yaml', foreign),
    ];
    const result = await manifestsToEntities(files, { knownRefs: noKnownRefs });

    const ledger = result.entities.find(
      e => stringifyEntityRef(e) === 'dataproduct:initech/payments-ledger',
    )!;
    expect(ledger.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS]).toBe(
      undefined,
    );
    expect(JSON.stringify(ledger)).not.toContain('FOREIGN');
    expect(
      [...result.contracts.values()].map(c => `${c.tenant} ${c.id}`).sort(),
    ).toEqual([
      'initech initech.payments-ledger.account_balances_daily',
      'initech initech.payments-ledger.ledger_entries',
      'zeta initech.payments-ledger.ledger_entries',
    ]);
    // acme's product is not built from initech's (or zeta's) contracts.
    expect(refs(result.entities)).not.toContain(
      'dataproduct:acme/payments-ledger',
    );
    const acmeProblems = result.problems.find(p =>
      p.target.includes('/acme/'),
    )!;
    expect(acmeProblems.problems.map(p => p.message).join('\n')).toContain(
      "contract 'initech.payments-ledger.ledger_entries' of output port",
    );
  });

  it("reads an ODPS product and its ODCS contracts into their source's tenant, whatever tenant they claim (a warning)", async () => {
    // initech's documents, in a place of acme: they are acme's.
    const files = Object.entries(paymentsLedgerFiles('initech')).map(
      ([name, text]) =>
        file(
          'acme',
          `ledger/${name}`,
          // Its Dagster code location is acme's (one of initech would be refused for itself).
          text.replace(
            'codeLocation: initech_payments_ledger',
            'codeLocation: acme_payments_ledger',
          ),
        ),
    );
    const result = await manifestsToEntities(files, { knownRefs: noKnownRefs });
    expect(result.problems).toEqual([]);
    expect(refs(result.entities)).toEqual(['dataproduct:acme/payments-ledger']);
    expect(errorsOf(result.entities, 'dataproduct:acme/payments-ledger')).toBe(
      undefined,
    );
    expect(
      [...result.contracts.values()].map(c => `${c.tenant} ${c.id}`).sort(),
    ).toEqual([
      'acme initech.payments-ledger.account_balances_daily',
      'acme initech.payments-ledger.ledger_entries',
    ]);
    // Every document says what it claimed and whose it is.
    const tenantWarnings = result.warnings.flatMap(w =>
      w.problems
        .filter(p => p.path === '$.tenant')
        .map(p => `${w.target.split('/').pop()} ${p.message}`),
    );
    expect(tenantWarnings.sort()).toEqual(
      [
        'account-balances-daily.odcs.yaml',
        'ledger-entries.odcs.yaml',
        'payments-ledger.odps.yaml',
      ].map(
        name =>
          `${name} tenant 'initech' is not the tenant of the document's source: it belongs to tenant 'acme'`,
      ),
    );
    // An ODPS product never lands in the tenant it claims.
    expect(refs(result.entities)).not.toContain(
      'dataproduct:initech/payments-ledger',
    );
  });

  it('keeps a delta from taking over a product another file holds', async () => {
    const copy = file(
      'acme',
      'copy/dataproduct.yaml',
      testManifestYaml('acme', 'orders', { title: 'Copy' }),
    );
    const result = await manifestsToEntities([copy], {
      knownRefs: noKnownRefs,
      heldRefs: new Map([
        ['dataproduct:acme/orders', '/src/acme/orders/dataproduct.yaml'],
      ]),
    });
    expect(result.entities).toEqual([]);
    expect(result.problems[0].problems[0].message).toBe(
      'dataproduct:acme/orders is already defined by /src/acme/orders/dataproduct.yaml',
    );
  });

  it('turns a parser that throws into a problem of that file only', async () => {
    let calls = 0;
    const result = await manifestsToEntities(
      [
        file('acme', 'bad/dataproduct.yaml', testManifestYaml('acme', 'bad')),
        file(
          'globex',
          'fleet/dataproduct.yaml',
          testManifestYaml('globex', 'fleet'),
        ),
      ],
      {
        knownRefs: noKnownRefs,
        parse: async (text, options) => {
          if (calls++ === 0) {
            throw new RangeError('Maximum call stack size exceeded');
          }
          return parseOnThisThread(text, options);
        },
      },
    );
    expect(refs(result.entities)).toEqual([
      'dataproduct:globex/fleet',
      'dataproduct:acme/bad',
    ]);
    expect(errorsOf(result.entities, 'dataproduct:acme/bad')).toContain(
      'the manifest could not be parsed: Maximum call stack size exceeded',
    );
  });

  it('fails the whole run when the parser is unavailable, marking no file', async () => {
    const busy = Object.assign(new Error('Too many manifests are waiting'), {
      name: 'ServiceUnavailableError',
    });
    await expect(
      manifestsToEntities(
        [
          file(
            'acme',
            'orders/dataproduct.yaml',
            testManifestYaml('acme', 'orders'),
          ),
        ],
        {
          knownRefs: noKnownRefs,
          parse: async () => {
            throw busy;
          },
        },
      ),
    ).rejects.toBe(busy);
  });

  it("provides only a manifest's apiVersion, kind, metadata and spec: no catalog-owned fields carrying placeholders", async () => {
    const text = `${testManifestYaml('acme', 'orders')}
status:
  leak:
    $text: https://gitlab.example.com/data-products/globex/secrets/-/raw/main/key.txt
relations:
  - $json: https://gitlab.example.com/data-products/globex/secrets/-/raw/main/x.json
`;
    const result = await manifestsToEntities(
      [file('acme', 'orders/dataproduct.yaml', text)],
      { knownRefs: noKnownRefs },
    );
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.entities[0]).sort()).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    expect(JSON.stringify(result.entities)).not.toContain('$');
  });

  it('refuses a manifest without a namespace (not defaulted to the source tenant), showing it in that tenant', async () => {
    const text = testManifestYaml('acme', 'orders').replace(
      /^ {2}namespace: acme\n/m,
      '',
    );
    expect(text).not.toContain('namespace:');
    const result = await manifestsToEntities(
      [file('acme', 'orders/dataproduct.yaml', text)],
      { knownRefs: noKnownRefs },
    );
    expect(result.problems[0].problems[0].message).toContain('namespace');
    expect(refs(result.entities)).toEqual(['dataproduct:acme/orders']);
    expect(errorsOf(result.entities, 'dataproduct:acme/orders')).toContain(
      'is invalid',
    );
  });
});
