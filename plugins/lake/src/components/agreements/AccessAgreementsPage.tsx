import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EmptyState, Progress } from '@backstage/core-components';
import { chooseTenant, TenantPicker } from '@akili/plugin-akili-react';
import {
  DependencyNotice,
  TenantGate,
} from '@akili/plugin-akili-react/components';
import {
  akiliAccessDecidePermission,
  akiliAccessRequestPermission,
  AccessAgreement,
  AccessAgreementStatus,
} from '@akili/plugin-lake-common';
import {
  Box,
  Button,
  FormControl,
  InputLabel,
  makeStyles,
  MenuItem,
  Select,
  Tab,
  Tabs,
  Typography,
} from '@material-ui/core';
import { AgreementErrorPanel } from './AgreementErrorPanel';
import { agreementStatusLabel } from './AgreementStatusChip';
import { AgreementsTable } from './AgreementsTable';
import { useLakeTenants } from '../common/useLakeTenants';
import { identityGrants } from '../../lib/identity';
import { AGREEMENT_STATUSES, inboxOrder, isAgreementStatus } from './lib';
import { RequestAccessDialog, RequestSentAlert } from './RequestAccessDialog';
import { useAgreements } from './useAgreements';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3) },
  filters: {
    display: 'flex',
    gap: theme.spacing(3),
    alignItems: 'flex-end',
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  select: { minWidth: 200 },
  request: { marginLeft: 'auto' },
}));

/** The two sides of the page, by their `?tab=` value. */
type Side = 'provider' | 'consumer';

const SIDE_LABELS: Record<Side, string> = {
  provider: 'Requests to us',
  consumer: 'Our access',
};

/** One side's agreements of `tenant`, filtered by status. */
const SideAgreements = (props: {
  tenant: string;
  side: Side;
  status: AccessAgreementStatus | undefined;
  identity: AkiliIdentityInfo | undefined;
}) => {
  const { tenant, side, status, identity } = props;
  const queries = useMemo(
    () => [{ tenant, side, ...(status ? { status } : {}) }],
    [tenant, side, status],
  );
  const agreements = useAgreements(queries);

  if (agreements.loading && agreements.items.length === 0) {
    return <Progress />;
  }
  if (agreements.error) {
    return (
      <AgreementErrorPanel
        error={agreements.error}
        what={`the access agreements of ${tenant}`}
        forbidden={`You are not allowed to see the access agreements of ${tenant}: you need a role in it.`}
        onRetry={agreements.reload}
      />
    );
  }
  if (agreements.items.length === 0) {
    if (status) {
      return (
        <EmptyState
          missing="data"
          title={`No ${agreementStatusLabel(status).toLowerCase()} agreements`}
          description="Choose another status, or all of them."
        />
      );
    }
    return side === 'provider' ? (
      <EmptyState
        missing="data"
        title="No requests yet"
        description={`No one has asked for your products' data yet. Other tenants request access to ${tenant}'s output ports from each product's Access tab; their requests arrive here.`}
      />
    ) : (
      <EmptyState
        missing="data"
        title={`${tenant} reads no other tenant's data`}
        description="To read another tenant's product, use Request access above with the product's <tenant>/<name> and its output port."
      />
    );
  }
  return (
    <AgreementsTable
      label={`${SIDE_LABELS[side]}: agreements of ${tenant}`}
      agreements={
        side === 'provider' ? inboxOrder(agreements.items) : agreements.items
      }
      showProduct
      canDecide={t =>
        side === 'provider' &&
        identityGrants(identity, t, akiliAccessDecidePermission)
      }
      canActAsConsumer={t =>
        side === 'consumer' &&
        identityGrants(identity, t, akiliAccessRequestPermission)
      }
      onChanged={agreements.put}
    />
  );
};

/**
 * The access agreements page of a tenant: "Requests to us" (the agreements on the tenant's
 * products, pending ones first, to decide on) and "Our access" (the tenant's access to other
 * tenants' products). Tenant, tab and status filter are kept in the URL
 * (`?tenant=&tab=provider|consumer&status=`).
 */
export const AccessAgreementsPage = () => {
  const classes = useStyles();
  const tenants = useLakeTenants();
  const [searchParams, setSearchParams] = useSearchParams();
  const tenant = chooseTenant(tenants.tenants, searchParams.get('tenant'));
  const side: Side =
    searchParams.get('tab') === 'consumer' ? 'consumer' : 'provider';
  const askedStatus = searchParams.get('status');
  const status = isAgreementStatus(askedStatus) ? askedStatus : undefined;
  const [requesting, setRequesting] = useState(false);
  const [sent, setSent] = useState<AccessAgreement>();
  // The tenants the caller may request access for.
  const consumerTenants = (tenants.identity?.tenants ?? [])
    .map(t => t.name)
    .filter(name =>
      identityGrants(tenants.identity, name, akiliAccessRequestPermission),
    );

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [name, value] of Object.entries(changes)) {
      if (value) {
        next.set(name, value);
      } else {
        next.delete(name);
      }
    }
    // Each choice (tenant, side, status) is one step of Back.
    setSearchParams(next);
  };

  return (
    <div className={classes.root}>
      <DependencyNotice
        dependencies={['starrocks', 'ceph-s3']}
        consequence="approved or revoked agreements may take effect late"
      />
      <Typography variant="body1" paragraph>
        Access agreements let one tenant read another tenant's output port: for
        a purpose, to some columns, until a date. Requests to your tenant's
        products wait here for its developers and operators.
      </Typography>
      <TenantGate
        tenants={tenants}
        tenant={tenant}
        emptyTitle="You are not a member of any tenant"
        emptyDescription="Agreements are between tenants. Ask a platform admin to add you to a tenant's group."
      >
        {current => (
          <>
            <Box className={classes.filters}>
              <TenantPicker
                id="lake-agreements-tenant"
                className={classes.select}
                tenants={tenants.tenants.map(t => t.name)}
                value={current}
                onChange={next => update({ tenant: next })}
              />
              <FormControl className={classes.select}>
                <InputLabel id="lake-agreements-status-label" shrink>
                  Status
                </InputLabel>
                <Select
                  labelId="lake-agreements-status-label"
                  id="lake-agreements-status"
                  value={status ?? ''}
                  displayEmpty
                  onChange={e =>
                    update({ status: String(e.target.value) || undefined })
                  }
                >
                  <MenuItem value="">Any status</MenuItem>
                  {AGREEMENT_STATUSES.map(s => (
                    <MenuItem key={s} value={s}>
                      {agreementStatusLabel(s)}
                    </MenuItem>
                  ))}
                </Select>
              </FormControl>
              {consumerTenants.length > 0 && (
                <Button
                  className={classes.request}
                  variant="contained"
                  color="primary"
                  onClick={() => setRequesting(true)}
                >
                  Request access
                </Button>
              )}
            </Box>
            {sent && (
              <RequestSentAlert
                agreement={sent}
                where={`It is listed under ${SIDE_LABELS.consumer}.`}
                onClose={() => setSent(undefined)}
              />
            )}
            {requesting && (
              <RequestAccessDialog
                consumerTenants={consumerTenants}
                initialConsumerTenant={
                  consumerTenants.includes(current) ? current : undefined
                }
                onClose={() => setRequesting(false)}
                onRequested={agreement => {
                  setSent(agreement);
                  update({
                    tenant: agreement.consumer.tenant,
                    tab: 'consumer',
                    status: undefined,
                  });
                }}
              />
            )}
            <Tabs
              value={side}
              onChange={(_e, next: Side) =>
                update({ tab: next === 'provider' ? undefined : next })
              }
              indicatorColor="primary"
              aria-label="Sides of the agreements"
            >
              <Tab value="provider" label={SIDE_LABELS.provider} />
              <Tab value="consumer" label={SIDE_LABELS.consumer} />
            </Tabs>
            <Box mt={2} role="tabpanel" aria-label={SIDE_LABELS[side]}>
              <SideAgreements
                key={`${current}/${side}/${sent?.id ?? ''}`}
                tenant={current}
                side={side}
                status={status}
                identity={tenants.identity}
              />
            </Box>
          </>
        )}
      </TenantGate>
    </div>
  );
};
