import { ReactNode } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import type {
  DeploymentApplication,
  DeploymentOperation,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import { initiatorLabel } from '../../lib/format';
import {
  HealthChip,
  PhaseChip,
  RelativeTime,
  Revision,
  SyncStatusChip,
} from '../common/bits';
import { ProductRef, SyncButton } from './SyncButton';

const Field = (props: { label: string; children: ReactNode }) => (
  <Grid item xs={12} sm={6} md={4}>
    <Typography variant="caption" color="textSecondary" component="div">
      {props.label}
    </Typography>
    <Typography variant="body2" component="div">
      {props.children}
    </Typography>
  </Grid>
);

/** One sync operation: phase, when, who, revision and ArgoCD's message. */
const OperationSummary = (props: {
  operation: DeploymentOperation;
  now: number;
}) => {
  const { operation, now } = props;
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 8 }}>
      <PhaseChip phase={operation.phase} />
      <span>
        started <RelativeTime iso={operation.startedAt} now={now} />
        {operation.finishedAt && (
          <>
            , finished <RelativeTime iso={operation.finishedAt} now={now} />
          </>
        )}
      </span>
      <span>by {initiatorLabel(operation.initiatedBy)}</span>
      {operation.revision && (
        <span>
          at <Revision revision={operation.revision} />
        </span>
      )}
      {operation.message && (
        <Typography
          variant="body2"
          component="span"
          color={
            operation.phase === 'Failed' || operation.phase === 'Error'
              ? 'error'
              : 'textSecondary'
          }
          style={{ flexBasis: '100%' }}
        >
          {operation.message}
        </Typography>
      )}
    </Box>
  );
};

/**
 * The product's ArgoCD Application: sync status and health, what it deploys from where, the last
 * sync and the one in progress, a link to ArgoCD and, for the tenant's operators, "Sync".
 */
export const ApplicationCard = (props: {
  product: ProductRef;
  application: DeploymentApplication;
  canSync?: boolean;
  now: number;
  onSynced: (response: SyncResponse) => void;
}) => {
  const { application, now } = props;
  const running =
    application.operation &&
    (application.operation.phase === 'Running' ||
      application.operation.phase === 'Terminating');
  return (
    <InfoCard
      title={`ArgoCD Application ${application.name}`}
      subheader={`Project ${application.project} · namespace ${application.namespace}`}
      action={
        <Box display="flex" alignItems="center" style={{ gap: 8 }} m={1}>
          {application.url && (
            <Link to={application.url} target="_blank" rel="noopener">
              Open in ArgoCD <OpenInNewIcon fontSize="inherit" />
            </Link>
          )}
          <SyncButton
            product={props.product}
            application={application}
            canSync={props.canSync}
            onSynced={props.onSynced}
          />
        </Box>
      }
    >
      <Box
        display="flex"
        style={{ gap: 8 }}
        mb={2}
        aria-label="Application status"
      >
        <SyncStatusChip status={application.syncStatus} />
        <HealthChip health={application.health} />
      </Box>
      {application.health.message && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {application.health.message}
        </Typography>
      )}
      <Grid container spacing={2}>
        <Field label="Revision">
          <Revision revision={application.revision} />
        </Field>
        <Field label="Target revision">
          {application.targetRevision ?? 'HEAD'}
        </Field>
        <Field label="Source">
          <span style={{ wordBreak: 'break-all' }}>
            {application.repoURL}
            {application.path ? ` · ${application.path}` : ''}
          </span>
        </Field>
      </Grid>
      {application.operation && (
        <Box mt={2} aria-label="Sync in progress">
          <Typography variant="subtitle2">
            {running ? 'Sync in progress' : 'Current operation'}
          </Typography>
          {running && (
            <LinearProgress
              aria-label="Sync progress"
              style={{ margin: '4px 0 8px' }}
            />
          )}
          <OperationSummary operation={application.operation} now={now} />
        </Box>
      )}
      <Box mt={2} aria-label="Last sync">
        <Typography variant="subtitle2">Last sync</Typography>
        {application.lastSync ? (
          <OperationSummary operation={application.lastSync} now={now} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Never synced.
          </Typography>
        )}
      </Box>
    </InfoCard>
  );
};
