import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/** A small valid manifest for tests; `overrides` are merged into `spec` and `metadata`. */
export function testManifest(
  tenant: string,
  name: string,
  options: {
    title?: string;
    inputs?: Array<{ product: string; port: string }>;
    owner?: string;
    domain?: string;
  } = {},
) {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name,
      namespace: tenant,
      title: options.title ?? `Product ${name}`,
      description: `Test product ${name}`,
      tags: ['test'],
    },
    spec: {
      type: options.inputs?.length ? 'aggregate' : 'source-aligned',
      lifecycle: 'production',
      owner: options.owner ?? `${tenant}-team`,
      domain: options.domain ?? 'sales',
      inputPorts: (options.inputs ?? []).map((input, i) => ({
        name: `in-${i}`,
        product: input.product,
        port: input.port,
      })),
      outputPorts: [
        {
          name: 'main',
          kind: 'table',
          location: {
            table: {
              catalog: `iceberg_${tenant}`,
              database: 'sales',
              table: name.replace(/-/g, '_'),
            },
          },
          schema: [
            { name: 'id', type: 'string', required: true, primaryKey: true },
            {
              name: 'email',
              type: 'string',
              classification: 'pii',
              description: 'Customer email',
            },
          ],
        },
      ],
    },
  };
}

export function testManifestYaml(...args: Parameters<typeof testManifest>) {
  return stringify(testManifest(...args));
}

const paymentsLedgerDir = path.resolve(
  __dirname,
  '../../../../examples/data-products/initech/payments-ledger',
);

/**
 * The example ODPS product `initech/payments-ledger` and its two ODCS contracts (file name ->
 * text), moved to `tenant` when given (the `tenant:` fields and nothing else).
 */
export function paymentsLedgerFiles(
  tenant = 'initech',
): Record<string, string> {
  return Object.fromEntries(
    [
      'payments-ledger.odps.yaml',
      'ledger-entries.odcs.yaml',
      'account-balances-daily.odcs.yaml',
    ].map(name => [
      name,
      fs
        .readFileSync(path.join(paymentsLedgerDir, name), 'utf8')
        .replace(/^tenant: initech$/m, `tenant: ${tenant}`),
    ]),
  );
}
