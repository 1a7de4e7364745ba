/**
 * An Akili `DataProduct` manifest as YAML, for tests that register or deploy a product: a
 * source-aligned product of `tenant` owned by `group:<tenant>/sales-analytics`, with one table
 * output port (`port`, default the product's name) whose columns are strings.
 *
 * @public
 */
export function testManifestYaml(
  tenant: string,
  name: string,
  options: {
    /** `spec.version` (default `1.0.0`). */
    version?: string;
    /** `spec.lifecycle` (default `experimental`). */
    lifecycle?: string;
    /** The output port and its table (default the product's name). */
    port?: string;
    /** The port's columns (default `id`). */
    columns?: string[];
  } = {},
): string {
  const port = options.port ?? name;
  return `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
  namespace: ${tenant}
spec:
  type: source-aligned
  lifecycle: ${options.lifecycle ?? 'experimental'}
  owner: group:${tenant}/sales-analytics
  domain: sales
  version: ${options.version ?? '1.0.0'}
  outputPorts:
    - name: ${port}
      kind: table
      location:
        table: { database: sales, table: ${port} }
      schema:
${(options.columns ?? ['id'])
  .map(column => `        - { name: ${column}, type: string }`)
  .join('\n')}
`;
}
