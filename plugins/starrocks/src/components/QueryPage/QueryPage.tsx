import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  FormControl,
  InputLabel,
  makeStyles,
  MenuItem,
  Select,
  Typography,
} from '@material-ui/core';
import { starrocksQueryApiRef } from '../../api';
import { QueryWorkbench } from '../QueryWorkbench';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3) },
  tenant: { minWidth: 200, marginBottom: theme.spacing(2) },
}));

/**
 * The Query page at `/query`: the SQL workbench over one of the user's tenants (all tenants for
 * platform admins). The tenant lives in the query string, so a link opens the same tenant.
 */
export const QueryPage = () => {
  const classes = useStyles();
  const api = useApi(starrocksQueryApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const identity = useAsync(async () => {
    const me = await api.getIdentity();
    if (!me.platformAdmin) return me.tenants.map(t => t.name);
    const own = me.tenants.map(t => t.name);
    const all = await api.listTenantNames();
    return [...own, ...all.filter(name => !own.includes(name))];
  }, [api]);
  const tenants = useMemo(() => identity.value ?? [], [identity.value]);
  const asked = searchParams.get('tenant');
  // Only the user's tenants: a link to another tenant falls back to the first of the user's.
  const tenant = asked && tenants.includes(asked) ? asked : tenants[0];

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
        <FormControl className={classes.tenant}>
          <InputLabel id="starrocks-query-tenant-label">Tenant</InputLabel>
          <Select
            labelId="starrocks-query-tenant-label"
            id="starrocks-query-tenant"
            value={tenant}
            onChange={e =>
              setSearchParams(
                { tenant: e.target.value as string },
                { replace: true },
              )
            }
          >
            {tenants.map(name => (
              <MenuItem key={name} value={name}>
                {name}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <QueryWorkbench key={tenant} tenant={tenant} />
      </>
    );
  }

  return (
    <div className={classes.root}>
      <Typography variant="body1" paragraph>
        Query the tables of your tenant's data products with read-only SQL.
        Columns classified as personal data may come back masked.
      </Typography>
      {body}
    </div>
  );
};
