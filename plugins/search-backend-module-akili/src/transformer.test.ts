import { dataProductEntityTransformer } from './transformer';

describe('dataProductEntityTransformer', () => {
  it('indexes columns, ports and tenant of a data product', () => {
    const doc = dataProductEntityTransformer({
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'customers',
        namespace: 'acme',
        title: 'Customers',
        description: 'All customers',
        tags: ['crm'],
      },
      spec: {
        type: 'source-aligned',
        lifecycle: 'production',
        owner: 'acme-customer-data',
        domain: 'sales',
        outputPorts: [
          {
            name: 'customers',
            kind: 'table',
            location: { table: { database: 'crm', table: 'customers' } },
            schema: [
              {
                name: 'email_address',
                type: 'string',
                classification: 'pii',
                description: 'Where we write to',
              },
            ],
          },
        ],
      },
    });
    expect(doc.title).toBe('Customers');
    expect(doc.text).toContain('All customers');
    expect(doc.text).toContain(
      'Column email_address string pii: Where we write to.',
    );
    expect(doc.text).toContain('Tenant acme.');
    expect(doc.kind).toBe('DataProduct');
    expect(doc.namespace).toBe('acme');
  });

  it('leaves other kinds to the default transformer', () => {
    const doc = dataProductEntityTransformer({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'portal', description: 'The portal' },
      spec: { type: 'website' },
    });
    expect(doc.text).toBe('The portal');
  });
});
