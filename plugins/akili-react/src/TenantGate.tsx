import { ReactNode } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { UserTenantsState } from './tenants';

/** The props of {@link TenantGate}. @public */
export interface TenantGateProps {
  /** The user's tenants, from `useUserTenants`. */
  tenants: UserTenantsState;
  /** The chosen tenant, e.g. from `chooseTenant`. */
  tenant: string | undefined;
  /** The title of the empty state, when the user may pick no tenant. */
  emptyTitle: string;
  /** Why there is nothing, and who can change it. */
  emptyDescription: string;
  /** The page for the chosen tenant. */
  children: (tenant: string) => ReactNode;
}

/**
 * The states of a tenant page before it has a tenant: progress while the user's tenants load,
 * an error when they could not be found out, an empty state when there is none to pick; then
 * the page for the chosen tenant.
 *
 * @public
 */
export function TenantGate(props: TenantGateProps) {
  const { tenants, tenant, emptyTitle, emptyDescription, children } = props;
  if (tenants.loading) {
    return <Progress />;
  }
  if (tenants.error) {
    return (
      <ResponseErrorPanel
        error={tenants.error}
        title="Could not find out your tenants"
      />
    );
  }
  if (!tenant) {
    return (
      <EmptyState
        missing="data"
        title={emptyTitle}
        description={emptyDescription}
      />
    );
  }
  return <>{children(tenant)}</>;
}
