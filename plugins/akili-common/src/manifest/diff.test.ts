import { diffManifests, semverMajor } from './diff';
import { DataProductManifest } from './types';

function base(): DataProductManifest {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'acme', title: 'Orders' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'acme-sales',
      domain: 'sales',
      version: '1.2.0',
      outputPorts: [
        {
          name: 'orders',
          kind: 'table',
          location: {
            table: {
              catalog: 'iceberg_acme',
              database: 'sales',
              table: 'orders',
            },
          },
          schema: [
            {
              name: 'order_id',
              type: 'string',
              required: true,
              primaryKey: true,
            },
            {
              name: 'amount',
              type: 'decimal',
              physicalType: 'DECIMAL(12,2)',
              required: true,
            },
            { name: 'email', type: 'string', classification: 'internal' },
          ],
          contract: { version: '1.0.0', status: 'active' },
        },
        {
          name: 'daily',
          kind: 'table',
          location: {
            table: {
              catalog: 'iceberg_acme',
              database: 'sales',
              table: 'daily',
            },
          },
          schema: [{ name: 'day', type: 'date' }],
        },
      ],
      quality: [
        {
          name: 'order-id-complete',
          type: 'completeness',
          column: 'order_id',
          metric: 'null_ratio',
          operator: '<=',
          threshold: 0,
          severity: 'error',
        },
      ],
      slos: { availability: { target: 99.5 }, freshness: { maxDelay: 'PT2H' } },
    },
  };
}

/** The diff of the base manifest against a changed copy of it. */
function diffAfter(change: (m: DataProductManifest) => void) {
  const next = base();
  change(next);
  return diffManifests(base(), next);
}

const orders = (m: DataProductManifest) => m.spec.outputPorts[0];
const column = (m: DataProductManifest, name: string) =>
  orders(m).schema.find(c => c.name === name)!;

describe('diffManifests', () => {
  it('finds nothing between equal manifests', () => {
    expect(diffManifests(base(), base())).toEqual({
      changes: [],
      breaking: false,
      previousVersion: '1.2.0',
      nextVersion: '1.2.0',
      requiresMajorBump: false,
    });
  });

  it.each<[string, (m: DataProductManifest) => void, string, string]>([
    [
      'an output port removed',
      m => m.spec.outputPorts.pop(),
      'output-port-removed',
      'spec.outputPorts[daily]',
    ],
    [
      'a column removed',
      m => orders(m).schema.splice(2, 1),
      'column-removed',
      'spec.outputPorts[orders].schema[email]',
    ],
    [
      'a logical type changed',
      m => {
        column(m, 'amount').type = 'number';
      },
      'column-type-changed',
      'spec.outputPorts[orders].schema[amount].type',
    ],
    [
      'a physical type changed',
      m => {
        column(m, 'amount').physicalType = 'DECIMAL(10,2)';
      },
      'column-physical-type-changed',
      'spec.outputPorts[orders].schema[amount].physicalType',
    ],
    [
      'a required column made optional',
      m => {
        column(m, 'amount').required = false;
      },
      'column-made-optional',
      'spec.outputPorts[orders].schema[amount].required',
    ],
    [
      'a primary key dropped',
      m => {
        delete column(m, 'order_id').primaryKey;
      },
      'column-key-dropped',
      'spec.outputPorts[orders].schema[order_id].primaryKey',
    ],
    [
      'a classification raised (masked for more readers)',
      m => {
        column(m, 'email').classification = 'pii';
      },
      'column-classification-raised',
      'spec.outputPorts[orders].schema[email].classification',
    ],
    [
      'a port location changed',
      m => {
        orders(m).location = {
          table: {
            catalog: 'iceberg_acme',
            database: 'sales',
            table: 'orders_v2',
          },
        };
      },
      'output-port-location-changed',
      'spec.outputPorts[orders].location',
    ],
    [
      'a port kind changed',
      m => {
        orders(m).kind = 'view';
      },
      'output-port-kind-changed',
      'spec.outputPorts[orders].kind',
    ],
    [
      'a contract deprecated',
      m => {
        orders(m).contract = { version: '2.0.0', status: 'deprecated' };
      },
      'contract-status-tightened',
      'spec.outputPorts[orders].contract.status',
    ],
    [
      'a contract retired',
      m => {
        orders(m).contract = { version: '2.0.0', status: 'retired' };
      },
      'contract-status-tightened',
      'spec.outputPorts[orders].contract.status',
    ],
    [
      'a contract removed',
      m => {
        delete orders(m).contract;
      },
      'contract-removed',
      'spec.outputPorts[orders].contract',
    ],
    [
      'a quality rule removed',
      m => {
        m.spec.quality = [];
      },
      'quality-rule-removed',
      'spec.quality[order-id-complete]',
    ],
    [
      'the availability target lowered',
      m => {
        m.spec.slos!.availability = { target: 99 };
      },
      'slo-availability-lowered',
      'spec.slos.availability.target',
    ],
    [
      'the freshness delay raised',
      m => {
        m.spec.slos!.freshness = { maxDelay: 'PT6H' };
      },
      'slo-freshness-relaxed',
      'spec.slos.freshness.maxDelay',
    ],
    [
      'an SLO removed',
      m => {
        delete m.spec.slos!.freshness;
      },
      'slo-removed',
      'spec.slos.freshness.maxDelay',
    ],
    [
      'the product deprecated',
      m => {
        m.spec.lifecycle = 'deprecated';
      },
      'lifecycle-deprecated',
      'spec.lifecycle',
    ],
  ])('breaks on %s', (_, change, kind, path) => {
    const diff = diffAfter(change);
    expect(diff.breaking).toBe(true);
    expect(diff.changes[0]).toMatchObject({ kind, path, breaking: true });
    expect(diff.changes[0].message).toEqual(expect.any(String));
    // Same major version (1.2.0): a bump is required.
    expect(diff.requiresMajorBump).toBe(true);
  });

  it.each<[string, (m: DataProductManifest) => void, string, string]>([
    [
      'an output port added',
      m =>
        m.spec.outputPorts.push({
          name: 'refunds',
          kind: 'table',
          location: {
            table: {
              catalog: 'iceberg_acme',
              database: 'sales',
              table: 'refunds',
            },
          },
          schema: [{ name: 'refund_id', type: 'string' }],
        }),
      'output-port-added',
      'spec.outputPorts[refunds]',
    ],
    [
      'a column added, even a required one',
      m =>
        orders(m).schema.push({
          name: 'channel',
          type: 'string',
          required: true,
        }),
      'column-added',
      'spec.outputPorts[orders].schema[channel]',
    ],
    [
      'an optional column made required',
      m => {
        column(m, 'email').required = true;
      },
      'column-made-required',
      'spec.outputPorts[orders].schema[email].required',
    ],
    [
      'a classification lowered',
      m => {
        column(m, 'email').classification = 'public';
      },
      'column-classification-lowered',
      'spec.outputPorts[orders].schema[email].classification',
    ],
    [
      'a column description',
      m => {
        column(m, 'amount').description = 'Gross amount in EUR';
      },
      'description-changed',
      'spec.outputPorts[orders].schema[amount].description',
    ],
    [
      'a product description',
      m => {
        m.metadata.description = 'All orders';
      },
      'description-changed',
      'metadata',
    ],
    [
      'a stricter availability target',
      m => {
        m.spec.slos!.availability = { target: 99.9 };
      },
      'slo-tightened',
      'spec.slos.availability.target',
    ],
    [
      'a shorter freshness delay',
      m => {
        m.spec.slos!.freshness = { maxDelay: 'PT30M' };
      },
      'slo-tightened',
      'spec.slos.freshness.maxDelay',
    ],
    [
      'a quality rule added',
      m =>
        m.spec.quality!.push({
          name: 'rows',
          type: 'volume',
          metric: 'row_count',
          operator: '>',
          threshold: 0,
          severity: 'warning',
        }),
      'quality-rule-added',
      'spec.quality[rows]',
    ],
    [
      'a contract moved from active to draft',
      m => {
        orders(m).contract = { version: '1.0.0', status: 'draft' };
      },
      'contract-changed',
      'spec.outputPorts[orders].contract.status',
    ],
    [
      'a new owner',
      m => {
        m.spec.owner = 'acme-finance';
      },
      'metadata-changed',
      'spec.owner',
    ],
  ])('does not break on %s', (_, change, kind, path) => {
    const diff = diffAfter(change);
    expect(diff.breaking).toBe(false);
    expect(diff.requiresMajorBump).toBe(false);
    expect(diff.changes).toEqual([
      expect.objectContaining({ kind, path, breaking: false }),
    ]);
  });

  it('asks for the contract major version with a breaking change of its port', () => {
    const diff = diffAfter(m => {
      column(m, 'amount').type = 'number';
      m.spec.version = '2.0.0';
    });
    expect(diff.changes.filter(c => c.breaking).map(c => c.kind)).toEqual([
      'column-type-changed',
      'contract-major-version-missing',
    ]);
    expect(diff.changes[1].path).toBe(
      'spec.outputPorts[orders].contract.version',
    );
    // The product's major was raised: that part is satisfied.
    expect(diff.requiresMajorBump).toBe(false);

    const bumped = diffAfter(m => {
      column(m, 'amount').type = 'number';
      orders(m).contract!.version = '2.0.0';
    });
    expect(bumped.changes.map(c => c.kind)).not.toContain(
      'contract-major-version-missing',
    );
  });

  it('requires a major bump unless the major version grew', () => {
    const removeDaily = (version?: string) =>
      diffAfter(m => {
        m.spec.outputPorts.pop();
        m.spec.version = version;
      });
    expect(removeDaily('1.3.0').requiresMajorBump).toBe(true);
    expect(removeDaily('2.0.0').requiresMajorBump).toBe(false);
    expect(removeDaily('v2.0.0-rc.1').requiresMajorBump).toBe(false);
    expect(removeDaily('0.9.0').requiresMajorBump).toBe(true);
    // No version, or one that is not semver, cannot show a bump.
    expect(removeDaily(undefined).requiresMajorBump).toBe(true);
    expect(removeDaily('next').requiresMajorBump).toBe(true);
  });

  it('lists breaking changes first and reports every change of a port', () => {
    const diff = diffAfter(m => {
      column(m, 'amount').description = 'Gross';
      orders(m).schema.splice(2, 1);
      m.spec.outputPorts.pop();
    });
    expect(diff.changes.map(c => [c.kind, c.breaking])).toEqual([
      ['column-removed', true],
      ['contract-major-version-missing', true],
      ['output-port-removed', true],
      ['description-changed', false],
    ]);
  });

  it('reads semver majors', () => {
    expect(semverMajor('3.1.4')).toBe(3);
    expect(semverMajor('v10.0.0+build.1')).toBe(10);
    expect(semverMajor('1.0')).toBeUndefined();
    expect(semverMajor(undefined)).toBeUndefined();
  });
});
