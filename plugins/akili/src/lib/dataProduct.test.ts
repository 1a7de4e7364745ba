import {
  clickstreamEntity,
  dataProductEntity,
  ordersDailyEntity,
  ordersEntity,
} from '../__testUtils__/fixtures';
import {
  getDataProductSpec,
  getDomainRef,
  getOwnerRef,
  hasPiiColumns,
  isDataProduct,
  resolveUpstreamRef,
  rulesForPort,
  slosForPort,
  unassignedRules,
} from './dataProduct';

describe('dataProduct helpers', () => {
  it('recognises DataProduct entities whatever the case', () => {
    expect(isDataProduct(ordersEntity)).toBe(true);
    expect(isDataProduct({ ...ordersEntity, kind: 'dataproduct' })).toBe(true);
    expect(isDataProduct({ ...ordersEntity, kind: 'Component' })).toBe(false);
  });

  it('fills in missing arrays of a spec', () => {
    const spec = getDataProductSpec({
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'x' },
      spec: { outputPorts: [{ name: 'p', kind: 'table', location: {} }] },
    });
    expect(spec.inputPorts).toEqual([]);
    expect(spec.quality).toEqual([]);
    expect(spec.outputPorts[0].schema).toEqual([]);
  });

  it('finds PII in any output port', () => {
    expect(hasPiiColumns(getDataProductSpec(ordersEntity))).toBe(true);
    expect(hasPiiColumns(getDataProductSpec(clickstreamEntity))).toBe(false);
  });

  it('resolves upstream refs in the product tenant', () => {
    expect(resolveUpstreamRef('orders', 'acme')).toBe(
      'dataproduct:acme/orders',
    );
    expect(resolveUpstreamRef('globex/clicks', 'acme')).toBe(
      'dataproduct:globex/clicks',
    );
    expect(resolveUpstreamRef('dataproduct:globex/clicks', 'acme')).toBe(
      'dataproduct:globex/clicks',
    );
    expect(resolveUpstreamRef('', 'acme')).toBeUndefined();
  });

  it('prefers the ownedBy and partOf relations for owner and domain', () => {
    expect(getOwnerRef(ordersEntity)).toBe(
      'group:acme/sales-analytics',
    );
    expect(getDomainRef(ordersEntity)).toBe('domain:default/sales');
  });

  it('falls back to spec owner in the tenant and domain in the shared namespace', () => {
    expect(getOwnerRef(clickstreamEntity)).toBe('group:globex/web');
    expect(getDomainRef(clickstreamEntity)).toBe('domain:default/marketing');
    const noOwner = dataProductEntity({
      name: 'x',
      spec: { owner: '' as string },
    });
    expect(getOwnerRef(noOwner)).toBeUndefined();
  });

  it('assigns rules without a port to the only output port', () => {
    const spec = getDataProductSpec(ordersEntity);
    expect(rulesForPort(spec, 'orders').map(r => r.name)).toEqual([
      'order_id_unique',
      'daily_volume',
    ]);
    expect(unassignedRules(spec)).toEqual([]);
  });

  it('keeps rules without a port apart when there are several ports', () => {
    const spec = {
      ...getDataProductSpec(ordersDailyEntity),
      quality: [
        {
          name: 'a',
          type: 'volume' as const,
          port: 'daily',
          operator: '>' as const,
          threshold: 0,
          severity: 'error' as const,
        },
        {
          name: 'b',
          type: 'volume' as const,
          operator: '>' as const,
          threshold: 0,
          severity: 'error' as const,
        },
        {
          name: 'c',
          type: 'volume' as const,
          port: 'gone',
          operator: '>' as const,
          threshold: 0,
          severity: 'error' as const,
        },
      ],
    };
    expect(rulesForPort(spec, 'daily').map(r => r.name)).toEqual(['a']);
    expect(rulesForPort(spec, 'export')).toEqual([]);
    expect(unassignedRules(spec).map(r => r.name)).toEqual(['b', 'c']);
  });

  it('applies a freshness SLO to its port only', () => {
    const slos = {
      freshness: { maxDelay: 'PT1H', port: 'daily' },
      availability: { target: 99 },
    };
    expect(slosForPort(slos, 'daily')).toEqual(slos);
    expect(slosForPort(slos, 'export')).toEqual({
      availability: { target: 99 },
    });
    expect(slosForPort(undefined, 'daily')).toEqual({});
  });
});
