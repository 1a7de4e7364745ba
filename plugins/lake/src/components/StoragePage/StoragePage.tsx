import type { ReactNode } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { LakeTenantUsage } from '@akili/plugin-lake-common';
import { Timestamp } from '@akili/plugin-akili-react';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { lakeApiRef } from '../../api';
import {
  formatBytes,
  formatCount,
  formatGrowth,
  formatPercent,
} from '../../lib/format';
import { LakeErrorPanel } from '../common/LakeErrorPanel';
import { UsageChart } from './UsageChart';

/** The share of the quota from which the bar turns to a warning. */
export const QUOTA_WARNING_SHARE = 0.8;

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3) },
  bar: { height: 10, borderRadius: 5 },
  ok: { backgroundColor: theme.palette.primary.main },
  warning: { backgroundColor: theme.palette.warning.main },
  over: { backgroundColor: theme.palette.error.main },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
    marginBottom: theme.spacing(2),
  },
}));

const Fact = (props: { label: string; value: ReactNode }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" component="div">
      {props.label}
    </Typography>
    <Typography variant="h6" component="div">
      {props.value}
    </Typography>
  </Box>
);

/** Bytes against the quota: a bar, amber from 80 %, red beyond the quota. */
const QuotaBar = (props: { tenant: string; bytes: number; quota?: number }) => {
  const classes = useStyles();
  const { tenant, bytes, quota } = props;
  if (quota === undefined || quota <= 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No storage quota is set for {tenant} in the tenant registry.
      </Typography>
    );
  }
  const share = bytes / quota;
  let level: 'ok' | 'warning' | 'over' = 'ok';
  if (share > 1) level = 'over';
  else if (share >= QUOTA_WARNING_SHARE) level = 'warning';
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        {formatBytes(bytes)} of {formatBytes(quota)} ({formatPercent(share)})
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, share * 100)}
        classes={{ root: classes.bar, bar: classes[level] }}
        aria-label={`Storage of ${tenant} against its quota`}
        data-level={level}
      />
      {level !== 'ok' && (
        <Box mt={1}>
          <Alert severity={level === 'over' ? 'error' : 'warning'}>
            {level === 'over'
              ? `${tenant} stores more than its quota.`
              : `${tenant} has used ${formatPercent(share)} of its quota.`}
          </Alert>
        </Box>
      )}
    </Box>
  );
};

/** One tenant's storage: totals against the quota, growth, history and per product. */
export const TenantUsageCard = (props: { usage: LakeTenantUsage }) => {
  const { usage } = props;
  const classes = useStyles();
  const now = Date.now();
  const products = [...usage.products].sort((a, b) => b.bytes - a.bytes);
  return (
    <InfoCard
      title={usage.tenant}
      subheader={`s3://${usage.location.bucket}/${usage.location.prefix}`}
    >
      {usage.measuredAt === undefined ? (
        <Alert severity="info">
          {usage.tenant}'s storage has not been measured yet; the lake backend
          measures every tenant daily.
        </Alert>
      ) : (
        <>
          <Box className={classes.facts}>
            <Fact label="Stored" value={formatBytes(usage.bytes)} />
            <Fact label="Objects" value={formatCount(usage.objects)} />
            <Fact
              label="Growth, 7 days"
              value={formatGrowth(usage.growth7dBytes)}
            />
            <Fact
              label="Measured"
              value={
                <Timestamp
                  value={usage.measuredAt}
                  format="relative"
                  now={now}
                />
              }
            />
          </Box>
          <Box mb={2}>
            <QuotaBar
              tenant={usage.tenant}
              bytes={usage.bytes}
              quota={usage.quotaBytes}
            />
          </Box>
          {usage.history.length > 1 && (
            <Box mb={2}>
              <UsageChart
                history={usage.history}
                quotaBytes={usage.quotaBytes}
                label={`Storage of ${usage.tenant}`}
              />
            </Box>
          )}
          {products.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No objects under any product's port.
            </Typography>
          ) : (
            <Table
              size="small"
              aria-label={`Storage per product of ${usage.tenant}`}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Product</TableCell>
                  <TableCell align="right">Objects</TableCell>
                  <TableCell align="right">Bytes</TableCell>
                  <TableCell align="right">Share</TableCell>
                  <TableCell align="right">Growth, 7 days</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {products.map(product => (
                  <TableRow key={product.product ?? ''}>
                    <TableCell>
                      {product.product ? (
                        <EntityRefLink entityRef={product.product} />
                      ) : (
                        <Typography variant="body2" color="textSecondary">
                          Under no product's port
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell align="right">
                      {formatCount(product.objects)}
                    </TableCell>
                    <TableCell align="right">
                      {formatBytes(product.bytes)}
                    </TableCell>
                    <TableCell align="right">
                      {usage.bytes > 0
                        ? formatPercent(product.bytes / usage.bytes)
                        : '—'}
                    </TableCell>
                    <TableCell align="right">
                      {formatGrowth(product.growth7dBytes)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </InfoCard>
  );
};

/**
 * The operators' Storage page: for each tenant the caller may read, what it stores in the lake
 * against its quota, how that grew, and per product.
 */
export const StoragePage = () => {
  const classes = useStyles();
  const api = useApi(lakeApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listUsage(),
    [api],
  );
  let body: JSX.Element;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <LakeErrorPanel
        error={error}
        what="the storage of your tenants"
        forbidden="Storage is for the operators of a tenant; you operate none."
        onRetry={retry}
      />
    );
  } else if (!value || value.tenants.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No tenant's storage to show"
        description="Storage per tenant is for the tenant's operators (and platform admins). Ask a platform admin for the operator role of your tenant."
      />
    );
  } else {
    body = (
      <Grid container spacing={3}>
        {[...value.tenants]
          .sort((a, b) => a.tenant.localeCompare(b.tenant))
          .map(usage => (
            <Grid item xs={12} xl={6} key={usage.tenant}>
              <TenantUsageCard usage={usage} />
            </Grid>
          ))}
      </Grid>
    );
  }
  return (
    <Box className={classes.root}>
      <Typography variant="body1" paragraph>
        What each tenant you operate stores in the data lake, against its quota,
        measured daily.
      </Typography>
      <DependencyNotice dependencies={['ceph-s3']} />
      {body}
    </Box>
  );
};
