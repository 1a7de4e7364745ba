import { InputError } from '@backstage/errors';
import {
  AKILI_EVENT_TYPES,
  akiliEventFamily,
  isAkiliEventType,
} from './registry';
import {
  InvalidAkiliEventError,
  createAkiliEvent,
  parseAkiliEvent,
  validateAkiliEvent,
} from './validate';

const completed = {
  runId: 'c0ffee00-1234',
  product: 'dataproduct:acme/orders',
  job: 'build_orders',
  status: 'SUCCESS' as const,
  startedAt: '2026-01-02T10:00:00Z',
  endedAt: '2026-01-02T12:05:00+01:00',
};

/** The parties of an access agreement, as every `access.*` event names them. */
const access = {
  agreementId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  provider: {
    tenant: 'acme',
    product: 'dataproduct:acme/customer-360',
    port: 'customer_360',
  },
  consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
};

function valid() {
  return {
    id: '3b241101-e2bb-4255-8caf-4136c566a962',
    type: 'execution.completed',
    version: 1,
    tenant: 'acme',
    time: '2026-01-02T10:05:00.123Z',
    source: 'dagster-backend',
    subject: 'dataproduct:acme/orders',
    data: { ...completed, endedAt: '2026-01-02T10:05:00Z' },
  };
}

describe('validateAkiliEvent', () => {
  it('accepts a valid event of every registered type', () => {
    const samples: Record<string, Record<string, unknown>> = {
      'product.registered': {
        product: 'dataproduct:acme/orders',
        owner: 'group:acme/team-orders',
        title: 'Orders',
        registeredBy: 'user:default/ada',
      },
      'product.deployed': {
        product: 'dataproduct:acme/orders',
        version: '1.4.0',
        environment: 'prod',
        deploymentId: 'dep-42',
        commit: 'abc1234',
        deployedBy: 'user:default/ada',
      },
      'product.deployment.failed': {
        product: 'dataproduct:acme/orders',
        version: '1.4.0',
        deploymentId: 'dep-43',
        status: 'failed',
        pipelineUrl:
          'https://gitlab.example/data-products/acme/orders/-/pipelines/7',
        deployedBy: 'user:default/ada',
      },
      'execution.completed': completed,
      'quality.checked': {
        product: 'dataproduct:acme/orders',
        outputPort: 'orders',
        checkedAt: '2026-01-02T10:06:00Z',
        outcome: 'WARN',
        checks: [
          { name: 'row_count > 0', status: 'PASS', observedValue: 1200 },
          { name: 'freshness', status: 'WARN', observedValue: null },
        ],
      },
      'tenant.created': {
        tenant: 'acme',
        title: 'ACME',
        createdBy: 'user:default/root',
      },
      'tenant.suspended': {
        tenant: 'acme',
        reason: 'unpaid',
        suspendedBy: 'user:default/root',
      },
      'access.requested': {
        ...access,
        purpose: 'Delivery experience per customer for the churn model',
        columns: ['customer_id', 'country'],
        until: '2027-06-01T00:00:00Z',
        requestedBy: 'user:default/gina',
      },
      'access.granted': {
        ...access,
        columns: ['customer_id'],
        until: '2027-06-01T00:00:00Z',
        decidedBy: 'user:default/alice',
      },
      'access.revoked': {
        ...access,
        columns: ['customer_id'],
        reason: 'expired',
      },
    };
    expect(Object.keys(samples).sort()).toEqual(
      Object.keys(AKILI_EVENT_TYPES).sort(),
    );
    for (const [type, data] of Object.entries(samples)) {
      expect({
        type,
        problems: validateAkiliEvent({ ...valid(), type, data }),
      }).toEqual({ type, problems: [] });
    }
  });

  it('names an unknown type and an unknown version', () => {
    expect(
      validateAkiliEvent({ ...valid(), type: 'product.exploded' }),
    ).toEqual([
      {
        path: '$.type',
        message: expect.stringContaining(
          "unknown event type 'product.exploded'; known types: product.registered",
        ),
      },
    ]);
    expect(validateAkiliEvent({ ...valid(), version: 7 })).toEqual([
      {
        path: '$.version',
        message:
          "unknown version 7 of event type 'execution.completed'; known versions: 1",
      },
    ]);
  });

  it('checks the envelope: UUID id, ISO time with zone, tenant name, required fields', () => {
    const { subject, ...noSubject } = valid();
    const problems = validateAkiliEvent({
      ...noSubject,
      id: 'not-a-uuid',
      time: '2026-01-02 10:00',
      tenant: 'ACME!',
      extra: 1,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.id', message: "'not-a-uuid' is not a valid uuid" },
        {
          path: '$.time',
          message: "'2026-01-02 10:00' is not a valid date-time",
        },
        { path: '$.subject', message: "missing required field 'subject'" },
        { path: '$.extra', message: "unknown field 'extra'" },
        {
          path: '$.tenant',
          message: expect.stringContaining(
            "'ACME!' is not a valid tenant name",
          ),
        },
      ]),
    );
    expect(
      validateAkiliEvent({ ...valid(), time: '2026-01-02T10:00:00' }),
    ).toEqual([
      {
        path: '$.time',
        message: "'2026-01-02T10:00:00' is not a valid date-time",
      },
    ]);
    expect(validateAkiliEvent('x')).toEqual([
      { path: '$', message: 'an event must be a JSON object' },
    ]);
  });

  it('checks the payload against the schema of its type and version', () => {
    expect(
      validateAkiliEvent({
        ...valid(),
        data: { ...completed, status: 'DONE', job: undefined, rows: 3 },
      }),
    ).toEqual(
      expect.arrayContaining([
        {
          path: '$.data.status',
          message:
            "must be one of 'SUCCESS', 'FAILURE', 'CANCELED', not 'DONE'",
        },
        { path: '$.data.job', message: "missing required field 'job'" },
        { path: '$.data.rows', message: "unknown field 'rows'" },
      ]),
    );
  });

  it('accepts quality.checked checks with and without the optional execution fields, and checks them', () => {
    const checked = (check: Record<string, unknown>) => ({
      ...valid(),
      type: 'quality.checked',
      data: {
        product: 'dataproduct:acme/orders',
        outputPort: 'orders',
        checkedAt: '2026-01-02T10:06:00Z',
        outcome: 'FAIL',
        checks: [check],
      },
    });
    // Version 1 as it was: no execution fields.
    expect(
      validateAkiliEvent(checked({ name: 'row_count', status: 'PASS' })),
    ).toEqual([]);
    expect(
      validateAkiliEvent(
        checked({
          name: 'row_count',
          status: 'FAIL',
          observedValue: 0,
          executionId: '4711',
          observedAt: '2026-01-02T10:05:59Z',
          dimension: 'completeness',
          severity: 'error',
          threshold: '> 0',
          partition: '2026-01-01',
        }),
      ),
    ).toEqual([]);
    expect(
      validateAkiliEvent(
        checked({
          name: 'row_count',
          status: 'FAIL',
          executionId: 'x'.repeat(201),
          observedAt: 'yesterday',
          dimension: 'beauty',
          severity: 'WARN',
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        {
          path: '$.data.checks[0].executionId',
          message: expect.stringContaining('200'),
        },
        {
          path: '$.data.checks[0].observedAt',
          message: expect.any(String),
        },
        {
          path: '$.data.checks[0].dimension',
          message: expect.stringContaining("not 'beauty'"),
        },
        {
          path: '$.data.checks[0].severity',
          message: "must be one of 'error', 'warning', 'info', not 'WARN'",
        },
      ]),
    );
  });

  it('applies cross-field rules: product of the tenant, endedAt after startedAt, tenant events', () => {
    expect(
      validateAkiliEvent({
        ...valid(),
        data: { ...completed, product: 'dataproduct:globex/orders' },
      }),
    ).toEqual([
      {
        path: '$.data.product',
        message:
          "'dataproduct:globex/orders' is not a product of tenant 'acme'",
      },
    ]);
    expect(
      validateAkiliEvent({
        ...valid(),
        data: { ...completed, endedAt: '2026-01-02T09:00:00Z' },
      }),
    ).toEqual([
      {
        path: '$.data.endedAt',
        message: 'must not be before startedAt (2026-01-02T10:00:00Z)',
      },
    ]);
    expect(
      validateAkiliEvent({
        ...valid(),
        type: 'tenant.created',
        data: { tenant: 'globex', title: 'G', createdBy: 'user:default/a' },
      }),
    ).toEqual([
      {
        path: '$.data.tenant',
        message: "must be the event's tenant 'acme', not 'globex'",
      },
    ]);
  });
});

describe('access events', () => {
  const granted = (tenant: string, data: Record<string, unknown> = {}) => ({
    ...valid(),
    type: 'access.granted',
    tenant,
    subject: 'dataproduct:acme/customer-360',
    data: {
      ...access,
      columns: ['customer_id'],
      until: '2027-06-01T00:00:00Z',
      decidedBy: 'user:default/alice',
      ...data,
    },
  });

  it('go to the provider’s and the consumer’s topics only', () => {
    expect(akiliEventFamily('access.granted')).toBe('access');
    expect(validateAkiliEvent(granted('acme'))).toEqual([]);
    expect(validateAkiliEvent(granted('globex'))).toEqual([]);
    expect(validateAkiliEvent(granted('initech'))).toEqual([
      {
        path: '$.tenant',
        message:
          "'initech' is neither the provider 'acme' nor the consumer 'globex'",
      },
    ]);
  });

  it('name products of their parties’ tenants, two different tenants, and a known reason', () => {
    expect(
      validateAkiliEvent(
        granted('acme', {
          provider: { ...access.provider, product: 'dataproduct:globex/x' },
          consumer: { tenant: 'acme' },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        {
          path: '$.data.consumer.tenant',
          message: "must differ from the provider's tenant 'acme'",
        },
        {
          path: '$.data.provider.product',
          message: "'dataproduct:globex/x' is not a product of tenant 'acme'",
        },
      ]),
    );
    expect(
      validateAkiliEvent({
        ...granted('acme'),
        type: 'access.revoked',
        data: { ...access, columns: ['a'], reason: 'rejected' },
      }),
    ).toEqual([
      {
        path: '$.data.reason',
        message: "must be one of 'revoked', 'expired', not 'rejected'",
      },
    ]);
    expect(validateAkiliEvent(granted('acme', { columns: [] }))).toEqual([
      { path: '$.data.columns', message: expect.stringContaining('1') },
    ]);
  });
});

describe('createAkiliEvent', () => {
  it('fills id, time and version and returns a valid event', () => {
    const event = createAkiliEvent({
      type: 'execution.completed',
      tenant: 'acme',
      subject: 'dataproduct:acme/orders',
      source: 'dagster-backend',
      data: completed,
    });
    expect(event.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Date.now() - Date.parse(event.time)).toBeLessThan(5000);
    expect(event.version).toBe(1);
    expect(validateAkiliEvent(event)).toEqual([]);
    const fixed = createAkiliEvent({
      type: 'tenant.created',
      tenant: 'acme',
      subject: 'tenant:acme',
      source: 'akili-backend',
      data: { tenant: 'acme', title: 'ACME', createdBy: 'user:default/a' },
      id: '3b241101-e2bb-4255-8caf-4136c566a962',
      time: new Date('2026-01-01T00:00:00Z'),
    });
    expect(fixed.time).toBe('2026-01-01T00:00:00.000Z');
    expect(fixed.id).toBe('3b241101-e2bb-4255-8caf-4136c566a962');
  });

  it('throws an InputError listing every problem', () => {
    let thrown: unknown;
    try {
      createAkiliEvent({
        type: 'execution.completed',
        tenant: 'acme',
        subject: '',
        source: 'dagster-backend',
        data: { ...completed, status: 'NOPE' as any },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidAkiliEventError);
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InvalidAkiliEventError).problems).toHaveLength(2);
    expect((thrown as Error).message).toBe(
      "Invalid Akili event: $.subject: must NOT have fewer than 1 characters; $.data.status: must be one of 'SUCCESS', 'FAILURE', 'CANCELED', not 'NOPE'",
    );
  });
});

describe('parseAkiliEvent', () => {
  it('parses a valid envelope and refuses bad JSON or an invalid event', () => {
    expect(parseAkiliEvent(JSON.stringify(valid()))).toEqual(valid());
    expect(() => parseAkiliEvent('{')).toThrow(/\$: not valid JSON/);
    expect(() =>
      parseAkiliEvent(JSON.stringify({ ...valid(), version: 0 })),
    ).toThrow('Invalid Akili event: $.version: must be >= 1');
  });
});

describe('registry', () => {
  it('knows the family of each type and refuses unknown ones', () => {
    expect(akiliEventFamily('product.deployed')).toBe('product');
    expect(akiliEventFamily('execution.completed')).toBe('execution');
    expect(akiliEventFamily('quality.checked')).toBe('quality');
    expect(akiliEventFamily('tenant.suspended')).toBe('tenant');
    expect(() => akiliEventFamily('nope')).toThrow(
      "Unknown Akili event type 'nope'",
    );
    expect(isAkiliEventType('toString')).toBe(false);
  });
});
