import { useSearchParams } from 'react-router-dom';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AkiliIdentityInfo, akiliRolesGrant } from '@akili/plugin-akili-common';
import { TenantPicker, useUserTenants } from '@akili/plugin-akili-react';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { akiliQueryAuditReadPermission } from '@akili/plugin-starrocks-common';
import { makeStyles, Tab, Tabs, Typography } from '@material-ui/core';
import { starrocksQueryApiRef } from '../../api';
import { QueryAudit } from '../QueryAudit';
import { QueryWorkbench } from '../QueryWorkbench';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3) },
  tenant: { minWidth: 200, marginBottom: theme.spacing(2) },
  views: { marginBottom: theme.spacing(2) },
}));

/**
 * Whether the user may read the tenant's query audit trail (`akili.query.audit.read`): the
 * backend decides, this only keeps the Audit view from those it would refuse.
 */
function mayReadAudit(me: AkiliIdentityInfo, tenant: string): boolean {
  if (me.platformAdmin) return true;
  const roles = me.tenants.find(t => t.name === tenant)?.roles ?? [];
  return akiliRolesGrant(roles, akiliQueryAuditReadPermission);
}

/**
 * The Query page at `/query`: the SQL workbench over one of the user's tenants (all tenants for
 * platform admins), and for the tenant's operators and platform admins its query audit trail.
 * Tenant and view live in the query string, so a link opens the same.
 */
export const QueryPage = () => {
  const classes = useStyles();
  const api = useApi(starrocksQueryApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  // The user's tenants; every tenant for platform admins.
  const identity = useUserTenants(api);
  const tenants = identity.tenants.map(t => t.name);
  const asked = searchParams.get('tenant');
  // Only the user's tenants: a link to another tenant falls back to the first of the user's.
  const tenant = asked && tenants.includes(asked) ? asked : tenants[0];
  const auditReadable =
    identity.identity && tenant
      ? mayReadAudit(identity.identity, tenant)
      : false;
  // A link to the Audit view of a tenant the user may not audit opens the workbench.
  const view =
    auditReadable && searchParams.get('view') === 'audit'
      ? 'audit'
      : 'workbench';
  const show = (next: { tenant?: string; view?: string }) => {
    const params: Record<string, string> = { tenant: next.tenant ?? tenant! };
    const nextView = next.view ?? view;
    if (nextView === 'audit') params.view = 'audit';
    setSearchParams(params, { replace: true });
  };

  let body: JSX.Element;
  if (identity.loading) {
    body = <Progress />;
  } else if (identity.error) {
    body = (
      <ResponseErrorPanel
        error={identity.error}
        title="Could not find out your tenants"
      />
    );
  } else if (!tenant) {
    body = (
      <EmptyState
        missing="data"
        title="You are not a member of any tenant"
        description="Queries run over the data products of a tenant. Ask a platform admin to add you to a tenant's group."
      />
    );
  } else {
    body = (
      <>
        <TenantPicker
          id="starrocks-query-tenant"
          className={classes.tenant}
          tenants={tenants}
          value={tenant}
          onChange={next => show({ tenant: next })}
        />
        {auditReadable && (
          <Tabs
            className={classes.views}
            value={view}
            onChange={(_e, value) => show({ view: value })}
            indicatorColor="primary"
            aria-label="Query views"
          >
            <Tab
              value="workbench"
              label="Workbench"
              id="starrocks-query-tab-workbench"
              aria-controls="starrocks-query-panel-workbench"
            />
            <Tab
              value="audit"
              label="Audit"
              id="starrocks-query-tab-audit"
              aria-controls="starrocks-query-panel-audit"
            />
          </Tabs>
        )}
        {/* Hidden, not unmounted, so the editor and its result survive a look at the audit. */}
        <div
          role={auditReadable ? 'tabpanel' : undefined}
          id="starrocks-query-panel-workbench"
          aria-labelledby={
            auditReadable ? 'starrocks-query-tab-workbench' : undefined
          }
          hidden={view !== 'workbench'}
        >
          <QueryWorkbench key={tenant} tenant={tenant} />
        </div>
        {view === 'audit' && (
          <div
            role="tabpanel"
            id="starrocks-query-panel-audit"
            aria-labelledby="starrocks-query-tab-audit"
          >
            <QueryAudit key={tenant} tenant={tenant} />
          </div>
        )}
      </>
    );
  }

  return (
    <div className={classes.root}>
      <DependencyNotice dependencies={['starrocks']} />
      <Typography variant="body1" paragraph>
        Query the tables of your tenant's data products with read-only SQL.
        Columns classified as personal data may come back masked.
      </Typography>
      {body}
    </div>
  );
};
