import { useApi } from '@backstage/frontend-plugin-api';
import { makeStyles } from '@material-ui/core';
import { Route, Routes } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { akiliTenantsApiRef } from '../../api';
import { TenantDetail } from './TenantDetail';
import { TenantList } from './TenantList';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
}));

/**
 * Tenant management: the list at `/tenants`, one tenant at `/tenants/:tenant`. Platform admins
 * (from `GET /v1/me`) also get the create, edit quotas, suspend and resume actions; the
 * backend enforces the same rule.
 */
export const TenantsPage = () => {
  const classes = useStyles();
  const api = useApi(akiliTenantsApiRef);
  // Without an answer the user is treated as no admin: the controls stay hidden.
  const identity = useAsync(() => api.getIdentity(), [api]);
  const admin = identity.value?.platformAdmin === true;

  return (
    <div className={classes.root}>
      <Routes>
        <Route path="/" element={<TenantList admin={admin} />} />
        <Route path="/:tenant" element={<TenantDetail admin={admin} />} />
      </Routes>
    </div>
  );
};
