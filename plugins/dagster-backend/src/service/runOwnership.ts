import {
  isValidTenantName,
  parseInputProductRef,
} from '@akili/plugin-akili-common';
import {
  AKILI_RUN_TAGS,
  isCodeLocationOfTenant,
} from '@akili/plugin-dagster-common';
import { DagsterRunSummary, tagsOf } from './mapping';

/** Whose a run is, by where it comes from and what it claims; see {@link runOwnership}. */
export type RunOwnership =
  | { owned: true; tenant: string; product?: string }
  | {
      owned: false;
      /** The tenant its `akili/tenant` tag names, when it has one. */
      claimedTenant?: string;
      /** Why it is no tenant's, for the log. */
      reason: string;
    };

/**
 * The tenant a Dagster run belongs to. Tags are text anyone who can launch in Dagster sets
 * (the UI, a schedule, a sensor of another tenant's code), so a tag alone never makes a run a
 * tenant's: its `akili/tenant` tag must name a tenant whose code location ran it (see
 * `isCodeLocationOfTenant`), and its `akili/product` tag, when set, a product of that tenant.
 * A run that fails either check is nobody's: the portal neither shows nor controls it, and the
 * run tracker skips it.
 */
export function runOwnership(
  run: Pick<DagsterRunSummary, 'tags' | 'repositoryOrigin'>,
  tags: Record<string, string> = tagsOf(run),
): RunOwnership {
  const tenant = tags[AKILI_RUN_TAGS.tenant];
  if (!tenant) {
    return { owned: false, reason: 'no akili/tenant tag' };
  }
  if (!isValidTenantName(tenant)) {
    return { owned: false, reason: 'the akili/tenant tag is no tenant name' };
  }
  const location = run.repositoryOrigin?.repositoryLocationName;
  if (!isCodeLocationOfTenant(location, tenant)) {
    return {
      owned: false,
      claimedTenant: tenant,
      reason: location
        ? 'its code location is not one of the tagged tenant'
        : 'it has no code location',
    };
  }
  const product = tags[AKILI_RUN_TAGS.product];
  if (product === undefined) {
    return { owned: true, tenant };
  }
  const ref = parseInputProductRef(product, tenant);
  if (
    !ref ||
    ref.namespace !== tenant ||
    product !== `dataproduct:${ref.namespace}/${ref.name}`
  ) {
    return {
      owned: false,
      claimedTenant: tenant,
      reason: 'the akili/product tag is no product of the tagged tenant',
    };
  }
  return { owned: true, tenant, product };
}

/** Whether a run is `tenant`'s by {@link runOwnership}. */
export function isRunOfTenant(
  run: Pick<DagsterRunSummary, 'tags' | 'repositoryOrigin'>,
  tenant: string,
  tags: Record<string, string> = tagsOf(run),
): boolean {
  const ownership = runOwnership(run, tags);
  return ownership.owned && ownership.tenant === tenant;
}
