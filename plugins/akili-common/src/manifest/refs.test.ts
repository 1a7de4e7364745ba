import { Entity } from '@backstage/catalog-model';
import {
  dataProductRef,
  isDataProductEntity,
  parseInputProductRef,
} from './refs';

describe('parseInputProductRef', () => {
  it('reads the three accepted forms', () => {
    expect(
      parseInputProductRef('dataproduct:globex/customers', 'acme'),
    ).toEqual({
      kind: 'dataproduct',
      namespace: 'globex',
      name: 'customers',
    });
    expect(
      parseInputProductRef('DataProduct:globex/customers', 'acme'),
    ).toEqual({
      kind: 'dataproduct',
      namespace: 'globex',
      name: 'customers',
    });
    expect(parseInputProductRef('globex/customers', 'acme')).toEqual({
      kind: 'dataproduct',
      namespace: 'globex',
      name: 'customers',
    });
    expect(parseInputProductRef('customers', 'acme')).toEqual({
      kind: 'dataproduct',
      namespace: 'acme',
      name: 'customers',
    });
    expect(parseInputProductRef('dataproduct:customers', 'acme')).toEqual({
      kind: 'dataproduct',
      namespace: 'acme',
      name: 'customers',
    });
  });

  it.each([
    '',
    'component:acme/customers',
    'acme/customers/extra',
    'Acme/customers',
    'acme/Customers',
    'acme/',
    '/customers',
    'acme/-customers',
    'customers_v2',
    `${'a'.repeat(64)}`,
    'dataproduct:',
  ])('rejects %p', ref => {
    expect(parseInputProductRef(ref, 'acme')).toBeUndefined();
  });
});

describe('dataProductRef', () => {
  it('builds the catalog ref', () => {
    expect(
      dataProductRef({ metadata: { name: 'orders', namespace: 'acme' } }),
    ).toBe('dataproduct:acme/orders');
  });
});

describe('isDataProductEntity', () => {
  const entity = (apiVersion: string, kind: string): Entity => ({
    apiVersion,
    kind,
    metadata: { name: 'x' },
  });

  it('recognises data products by apiVersion and kind', () => {
    expect(
      isDataProductEntity(entity('akili.io/v1alpha1', 'DataProduct')),
    ).toBe(true);
    expect(
      isDataProductEntity(entity('akili.io/v1alpha1', 'dataproduct')),
    ).toBe(true);
    expect(
      isDataProductEntity(entity('backstage.io/v1alpha1', 'DataProduct')),
    ).toBe(false);
    expect(isDataProductEntity(entity('akili.io/v1alpha1', 'Component'))).toBe(
      false,
    );
  });
});
