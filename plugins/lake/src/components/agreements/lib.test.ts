import { agreement, customer360 } from './__testUtils__/agreementsBackend';
import { identityGrants } from '../../lib/identity';
import {
  dateInDays,
  inboxOrder,
  outputPortsOf,
  RequestDraft,
  requestFromDraft,
  validateRequest,
} from './lib';
import { akiliAccessDecidePermission } from '@akili/plugin-lake-common';

const NOW = new Date('2026-12-03T19:00:00Z');
const options = {
  now: NOW,
  ports: ['customer_360', 'segments'],
};
const valid: RequestDraft = {
  product: 'acme/customer-360',
  port: 'customer_360',
  consumerTenant: 'globex',
  consumerProduct: '',
  purpose: 'Segments for delivery planning',
  allColumns: false,
  columns: ['segment'],
  until: '2027-03-03',
};

describe('validateRequest', () => {
  it('accepts a complete request, up to exactly a year ahead', () => {
    expect(validateRequest(valid, options)).toEqual({});
    expect(validateRequest({ ...valid, until: '2027-12-03' }, options)).toEqual(
      {},
    );
    expect(validateRequest({ ...valid, until: '2026-12-04' }, options)).toEqual(
      {},
    );
  });

  it('names each field to fix', () => {
    expect(
      validateRequest(
        {
          product: 'acme/customer-360',
          port: 'secret_port',
          consumerTenant: 'acme',
          consumerProduct: 'initech/fraud',
          purpose: ' too short ',
          allColumns: false,
          columns: [],
          until: '2027-12-04',
        },
        options,
      ),
    ).toEqual({
      port: 'Choose the output port to read.',
      consumerTenant: 'acme owns this product: its members need no agreement.',
      consumerProduct: "The product must be one of acme's.",
      purpose: expect.stringMatching(/at least 10 characters/),
      columns: 'Choose at least one column.',
      until: 'At most a year ahead (2027-12-03).',
    });
    expect(
      validateRequest({ ...valid, until: '2026-12-03' }, options).until,
    ).toBe('The date must be in the future.');
    expect(validateRequest({ ...valid, until: '' }, options).until).toBe(
      'Give the date the access ends.',
    );
    expect(
      validateRequest({ ...valid, consumerProduct: 'Not A Name!' }, options)
        .consumerProduct,
    ).toMatch(/<tenant>\/<name>/);
  });

  it('needs the provider as <tenant>/<name>, and any port when its ports are unknown', () => {
    for (const product of ['', 'customer-360', 'acme/x/y', 'user:acme/x']) {
      expect(validateRequest({ ...valid, product }, options).product).toBe(
        'Name the product as <tenant>/<name>, e.g. acme/customer-360.',
      );
    }
    expect(
      validateRequest(
        { ...valid, product: 'dataproduct:acme/customer-360' },
        options,
      ),
    ).toEqual({});
    // Without the provider's entity: any port name, and all columns instead of a pick.
    const unread = { now: NOW };
    expect(
      validateRequest(
        { ...valid, port: 'customers', allColumns: true, columns: [] },
        unread,
      ),
    ).toEqual({});
    expect(validateRequest({ ...valid, port: ' ' }, unread).port).toBe(
      'Choose the output port to read.',
    );
    expect(
      validateRequest({ ...valid, product: 'globex/x' }, unread).consumerTenant,
    ).toBe('globex owns this product: its members need no agreement.');
  });
});

describe('requestFromDraft', () => {
  it('sends the consumer product as a full ref and the date as the start of the day, UTC', () => {
    expect(
      requestFromDraft({
        ...valid,
        consumerProduct: ' shipments ',
        purpose: ' why it is ',
      }),
    ).toEqual({
      provider: {
        product: 'dataproduct:acme/customer-360',
        port: 'customer_360',
      },
      consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
      purpose: 'why it is',
      columns: ['segment'],
      until: '2027-03-03T00:00:00.000Z',
    });
    expect(requestFromDraft(valid).consumer).toEqual({ tenant: 'globex' });
  });

  it('asks for every column of the port with columns: []', () => {
    const body = requestFromDraft({
      ...valid,
      product: 'acme/customer-360',
      port: ' customers ',
      allColumns: true,
      columns: ['segment'],
    });
    expect(body.provider).toEqual({
      product: 'dataproduct:acme/customer-360',
      port: 'customers',
    });
    expect(body.columns).toEqual([]);
  });
});

describe('helpers', () => {
  it('puts pending requests first, oldest first, then the rest newest first', () => {
    const list = [
      agreement('old-approved', {
        status: 'approved',
        requestedAt: '2026-01-01T00:00:00Z',
      }),
      agreement('new-pending', { requestedAt: '2026-06-02T00:00:00Z' }),
      agreement('new-rejected', {
        status: 'rejected',
        requestedAt: '2026-06-03T00:00:00Z',
      }),
      agreement('old-pending', { requestedAt: '2026-06-01T00:00:00Z' }),
    ];
    expect(inboxOrder(list).map(a => a.id)).toEqual([
      'old-pending',
      'new-pending',
      'new-rejected',
      'old-approved',
    ]);
  });

  it('grants deciding to developers of the tenant only (and platform admins)', () => {
    const dev = {
      userEntityRef: 'user:default/dana',
      platformAdmin: false,
      tenants: [{ name: 'acme', roles: ['developer' as const] }],
    };
    expect(identityGrants(dev, 'acme', akiliAccessDecidePermission)).toBe(true);
    expect(identityGrants(dev, 'globex', akiliAccessDecidePermission)).toBe(
      false,
    );
    expect(
      identityGrants(
        { ...dev, tenants: [{ name: 'acme', roles: ['consumer'] }] },
        'acme',
        akiliAccessDecidePermission,
      ),
    ).toBe(false);
    expect(
      identityGrants(
        { ...dev, platformAdmin: true, tenants: [] },
        'globex',
        akiliAccessDecidePermission,
      ),
    ).toBe(true);
    expect(identityGrants(undefined, 'acme', akiliAccessDecidePermission)).toBe(
      false,
    );
  });

  it('reads the output ports and dates', () => {
    expect(outputPortsOf(customer360).map(p => p.name)).toEqual([
      'customer_360',
      'segments',
    ]);
    expect(outputPortsOf({ ...customer360, spec: {} })).toEqual([]);
    expect(dateInDays(NOW, 90)).toBe('2027-03-03');
  });
});
