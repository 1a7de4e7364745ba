/**
 * A catalog data product of `namespace` reading `product`'s port `port`, owned by
 * `group:<namespace>/<owner>`: a downstream product for the impact of a change.
 */
export function consumerEntity(
  namespace: string,
  name: string,
  product: string,
  port: string,
  owner: string,
) {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace, title: `${name} (${namespace})` },
    spec: {
      type: 'aggregate',
      lifecycle: 'production',
      owner,
      domain: 'sales',
      inputPorts: [{ name: 'in', product, port }],
      outputPorts: [],
    },
    relations: [{ type: 'ownedBy', targetRef: `group:${namespace}/${owner}` }],
  };
}
