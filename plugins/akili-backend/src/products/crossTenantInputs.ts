import { InputError } from '@backstage/errors';
import {
  DataProductManifest,
  parseInputProductRef,
} from '@akili/plugin-akili-common';
import {
  findAgreementFor,
  LakeAgreementsSource,
} from '@akili/plugin-akili-node';

/** An input port of the manifest that reads a product of another tenant. */
interface CrossTenantInput {
  index: number;
  name: string;
  /** `dataproduct:<tenant>/<name>` of the provider. */
  product: string;
  provider: string;
  port?: string;
}

/** The input ports of `manifest` (a product of `tenant`) that read another tenant's product. */
export function crossTenantInputs(
  manifest: DataProductManifest,
  tenant: string,
): CrossTenantInput[] {
  return (manifest.spec.inputPorts ?? []).flatMap((input, index) => {
    if (input.product === undefined) {
      return [];
    }
    const ref = parseInputProductRef(input.product, tenant);
    if (!ref || ref.namespace === tenant) {
      return [];
    }
    return [
      {
        index,
        name: input.name,
        product: `dataproduct:${ref.namespace}/${ref.name}`,
        provider: ref.namespace,
        ...(input.port !== undefined ? { port: input.port } : {}),
      },
    ];
  });
}

/**
 * Refuses (400, `InputError`) a manifest of `tenant` with an input port on another tenant's
 * product that no access agreement in force covers: the agreement's provider product and port
 * must be the input's (any port of the product when the input names none, which the manifest
 * schema does not allow today). The message names each such input port
 * (`spec.inputPorts[i].product`) and what to request. The agreements are the lake backend's
 * (`agreements.inForce`), which fails closed with a 503 naming the lake when it cannot be read;
 * the lake is not asked when the manifest reads no other tenant's product.
 */
export async function checkCrossTenantInputs(options: {
  manifest: DataProductManifest;
  tenant: string;
  agreements: LakeAgreementsSource;
}): Promise<void> {
  const { manifest, tenant, agreements } = options;
  const inputs = crossTenantInputs(manifest, tenant);
  if (inputs.length === 0) {
    return;
  }
  const inForce = await agreements.inForce(tenant);
  const missing = inputs.filter(
    input =>
      !findAgreementFor(inForce, { product: input.product, port: input.port }),
  );
  if (missing.length === 0) {
    return;
  }
  const problems = missing.map(input => {
    const what =
      input.port !== undefined
        ? `port '${input.port}' of ${input.product}`
        : `a port of ${input.product}`;
    return `spec.inputPorts[${input.index}].product: input port '${input.name}' reads ${what} of tenant ${input.provider}, but tenant ${tenant} has no access agreement in force for it; request access to ${what} on the product's Access tab, and submit again once ${input.provider} approves`;
  });
  throw new InputError(
    `The manifest reads products of other tenants without an access agreement: ${problems.join(
      '; ',
    )}`,
  );
}
