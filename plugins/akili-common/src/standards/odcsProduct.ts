/*
 * An ODCS v3 contract submitted on its own: a product whose output ports are its schema objects.
 */

import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductManifest,
} from '../manifest/types';
import { importOdcs } from './odcs';
import {
  DEFAULT_ODPS_PRODUCT_TYPE,
  checkMapped,
  lifecycleFromStatus,
} from './odps';
import { OdcsContract, OdpsImport } from './types';
import {
  AKILI_PROPERTIES as P,
  IssueList,
  asString,
  compact,
  customProperties,
  isRecord,
  resolveDomain,
  resolveOwner,
  resolveTenant,
  slugify,
} from './util';

/** Options of {@link importOdcsProduct}. */
export interface ImportOdcsProductOptions {
  /** The tenant of the contract's source; it wins over the contract's `tenant`. */
  tenant?: string;
}

/**
 * Maps an ODCS v3 contract submitted on its own onto an Akili product: one output port per
 * schema object (see `importOdcs`), named by the custom property `akiliName` or the contract's
 * `name` (else its `id`); domain from `domain`, owner from `akiliOwner` or the team name (else the
 * tenant's group, with a warning); lifecycle from `status`. The contract should have passed the
 * official schema first (`validateOdcs`).
 */
export function importOdcsProduct(
  contract: OdcsContract,
  options: ImportOdcsProductOptions = {},
): OdpsImport {
  const warnings = new IssueList();
  const imported = importOdcs(contract);
  if (imported.errors.length > 0) {
    return { errors: imported.errors, warnings: imported.warnings };
  }
  const props = customProperties(contract.customProperties);
  const tenant = resolveTenant(contract.tenant, options.tenant, warnings);
  const name =
    asString(props.get(P.name)?.value) ??
    slugify(asString(contract.name) ?? asString(contract.id) ?? '');
  const domain = resolveDomain(contract.domain, warnings);
  const owner = resolveOwner(
    props.get(P.owner)?.value,
    contract.team,
    tenant,
    warnings,
  );
  const description = isRecord(contract.description)
    ? asString(contract.description.purpose)
    : undefined;
  const manifest: DataProductManifest = {
    apiVersion: DATA_PRODUCT_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: compact({
      name,
      namespace: tenant,
      title: asString(contract.name),
      description,
      tags: Array.isArray(contract.tags)
        ? contract.tags.map(String)
        : undefined,
    }),
    spec: compact({
      type: DEFAULT_ODPS_PRODUCT_TYPE,
      lifecycle: lifecycleFromStatus(contract.status),
      owner,
      domain,
      version: asString(contract.version),
      outputPorts: imported.ports,
      quality: imported.quality.length ? imported.quality : undefined,
      slos: Object.keys(imported.slos).length
        ? compact({
            ...imported.slos,
            freshness:
              imported.slos.freshness && imported.ports.length > 1
                ? { ...imported.slos.freshness, port: imported.ports[0].name }
                : imported.slos.freshness,
          })
        : undefined,
      support: imported.support,
      team: imported.team,
    }),
  };
  return checkMapped(manifest, [...imported.warnings, ...warnings.problems()]);
}
