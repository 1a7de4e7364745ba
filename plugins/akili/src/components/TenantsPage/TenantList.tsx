import { useState } from 'react';
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
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
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
}));

/** Every tenant the user may see (all of them for platform admins), as a table. */
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
  const tenants = value?.items ?? [];

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
  } else if (tenants.length === 0) {
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
          <Typography variant="body2" color="textSecondary" role="status">
            {tenants.length === 1 ? '1 tenant' : `${tenants.length} tenants`}
          </Typography>
          {createButton}
        </Box>
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
