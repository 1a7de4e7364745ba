import { useMemo, useState } from 'react';
import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Box,
  Button,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { Tenant } from '@akili/plugin-akili-common';
import { useQueryParamState } from '@akili/plugin-akili-react';
import { akiliTenantsApiRef } from '../../api';
import { formatCount, formatQuotas } from '../../lib/tenants';
import { tenantRouteRef } from '../../routes';
import { CreateTenantDialog } from './TenantDialogs';
import { TenantStatus } from './TenantStatus';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  name: {
    fontFamily: theme.typography.fontFamily,
    fontWeight: 'bold',
  },
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
}));

const STATUSES = ['all', 'active', 'suspended'] as const;

/** Whether a tenant matches the search text (name or title) and status of the list. */
function matches(
  tenant: Pick<Tenant, 'name' | 'title' | 'status'>,
  search: string,
  status: string,
): boolean {
  const needle = search.trim().toLocaleLowerCase('en-US');
  const text = `${tenant.name} ${tenant.title ?? ''}`.toLocaleLowerCase(
    'en-US',
  );
  return (
    (status === 'all' || tenant.status === status) &&
    (!needle || text.includes(needle))
  );
}

/**
 * Every tenant the user may see (all of them for platform admins), as a table, filtered by a
 * search text and a status kept in the URL (`?q=acme&status=suspended`).
 */
export const TenantList = (props: { admin: boolean }) => {
  const { admin } = props;
  const classes = useStyles();
  const api = useApi(akiliTenantsApiRef);
  const tenantLink = useRouteRef(tenantRouteRef);
  const [creating, setCreating] = useState(false);

  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listTenants(),
    [api],
  );
  const all = value?.items;
  // Typing replaces the URL; choosing a status is one step of Back.
  const [search, setSearch] = useQueryParamState('q', '', { replace: true });
  const [statusParam, setStatus] = useQueryParamState('status', 'all');
  const status = (STATUSES as readonly string[]).includes(statusParam)
    ? statusParam
    : 'all';
  const tenants = useMemo(
    () => (all ?? []).filter(t => matches(t, search, status)),
    [all, search, status],
  );
  const filtered = search.trim() !== '' || status !== 'all';

  const createButton = admin ? (
    <Button
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
      onClick={() => setCreating(true)}
    >
      Create tenant
    </Button>
  ) : undefined;

  let body: JSX.Element;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = (
      <>
        <ResponseErrorPanel
          error={error}
          title="The tenants could not be loaded"
        />
        <Button variant="outlined" onClick={retry}>
          Try again
        </Button>
      </>
    );
  } else if (tenants.length === 0 && !filtered) {
    body = (
      <EmptyState
        missing="data"
        title="No tenants yet"
        description={
          admin
            ? 'A tenant groups the data products, people and quotas of one customer or team. Create the first one.'
            : 'You are not a member of any tenant. Ask a platform admin to add you to the Authentik group of a tenant role.'
        }
        action={createButton}
      />
    );
  } else {
    body = (
      <>
        <Box className={classes.toolbar}>
          <Box className={classes.filters}>
            <TextField
              id="tenant-search"
              label="Search tenants"
              placeholder="Name or title"
              size="small"
              variant="outlined"
              value={search}
              onChange={e => setSearch(e.target.value)}
            />
            <TextField
              id="tenant-status"
              select
              label="Status"
              size="small"
              variant="outlined"
              value={status}
              onChange={e => setStatus(e.target.value)}
            >
              <MenuItem value="all">All</MenuItem>
              <MenuItem value="active">Active</MenuItem>
              <MenuItem value="suspended">Suspended</MenuItem>
            </TextField>
            <Typography variant="body2" color="textSecondary" role="status">
              {filtered
                ? `${tenants.length} of ${all?.length ?? 0} tenants`
                : `${tenants.length} ${
                    tenants.length === 1 ? 'tenant' : 'tenants'
                  }`}
            </Typography>
          </Box>
          {createButton}
        </Box>
        {tenants.length === 0 ? (
          <EmptyState
            missing="data"
            title="No tenant matches these filters"
            description="Try another name or status, or clear the search."
            action={
              <Button
                variant="outlined"
                onClick={() => {
                  setStatus('all', { reset: ['q'] });
                }}
              >
                Clear filters
              </Button>
            }
          />
        ) : (
          <TableContainer component={Paper} variant="outlined">
            <Table size="small" aria-label="Tenants">
              <TableHead>
                <TableRow>
                  <TableCell>Name</TableCell>
                  <TableCell>Title</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell align="right">Members</TableCell>
                  <TableCell>Quotas</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {tenants.map(tenant => (
                  <TableRow key={tenant.name} hover>
                    <TableCell className={classes.name}>
                      <Link
                        to={
                          tenantLink
                            ? tenantLink({ tenant: tenant.name })
                            : encodeURIComponent(tenant.name)
                        }
                      >
                        {tenant.name}
                      </Link>
                    </TableCell>
                    <TableCell>{tenant.title}</TableCell>
                    <TableCell>
                      <TenantStatus tenant={tenant} />
                    </TableCell>
                    <TableCell align="right">
                      {formatCount(tenant.memberCount)}
                    </TableCell>
                    <TableCell>{formatQuotas(tenant.quotas)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </>
    );
  }

  return (
    <>
      <Typography variant="body1" paragraph>
        Tenants separate the data products, people and query quotas of each
        customer or team. Roles in a tenant come from Authentik groups.
      </Typography>
      {body}
      {creating && (
        <CreateTenantDialog
          open
          onClose={() => setCreating(false)}
          onCreated={() => retry()}
        />
      )}
    </>
  );
};
