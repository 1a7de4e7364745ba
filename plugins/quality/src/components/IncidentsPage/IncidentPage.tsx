import { useEffect, useState } from 'react';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/frontend-plugin-api';
import {
  ActionDialog,
  SeverityChip,
  errorMessage,
  useUserTenants,
} from '@akili/plugin-akili-react';
import { akiliRolesGrant } from '@akili/plugin-akili-common';
import {
  INCIDENT_RESOLUTION_REASONS,
  IncidentTimelineEntry,
  QualityIncidentDetail,
  ResolveIncidentRequest,
  akiliQualityIncidentsManagePermission,
} from '@akili/plugin-quality-common';
import {
  Box,
  Button,
  FormControl,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Timestamp } from '@akili/plugin-akili-react';
import { qualityApiRef } from '../../api';
import { isForbidden } from '../../lib/errors';
import {
  RESOLUTION_LABELS,
  formatActor,
  formatMinutes,
} from '../../lib/format';
import { incidentRouteRef, incidentsRouteRef } from '../../routes';
import { Ago, IncidentStateChip } from '../common/bits';
import { ProductLink } from '../common/links';
import { QualityErrorPanel } from '../common/QualityErrorPanel';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  timeline: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    borderLeft: `2px solid ${theme.palette.divider}`,
    '& > li': {
      position: 'relative',
      paddingLeft: theme.spacing(2),
      paddingBottom: theme.spacing(1.5),
    },
    '& > li::before': {
      content: '""',
      position: 'absolute',
      left: -6,
      top: 6,
      width: 10,
      height: 10,
      borderRadius: '50%',
      background: theme.palette.primary.main,
    },
  },
}));

/** What a timeline entry says, in words. */
export function describeTimelineEntry(entry: IncidentTimelineEntry): string {
  const d = entry.details ?? {};
  const text = (key: string) =>
    typeof d[key] === 'string' ? (d[key] as string) : undefined;
  switch (entry.kind) {
    case 'opened':
      return 'Opened';
    case 'failed-again':
      return `Failed again${text('outcome') ? ` (${text('outcome')})` : ''}`;
    case 'acknowledged':
      return 'Acknowledged';
    case 'assigned':
      return `Assigned to ${formatActor(text('assignee'))}`;
    case 'commented':
      return `Commented: ${text('comment') ?? ''}`;
    case 'resolved': {
      const reason = text('reason') as
        | keyof typeof RESOLUTION_LABELS
        | undefined;
      const label = reason ? RESOLUTION_LABELS[reason] ?? reason : 'resolved';
      return `Resolved: ${label}${
        text('comment') ? ` (${text('comment')})` : ''
      }`;
    }
    default:
      return entry.kind;
  }
}

type Dialog = 'assign' | 'resolve' | 'comment' | undefined;

/** How a refused action reads: a 403 says who may act. */
function describeActionError(tenant: string) {
  return (error: unknown) =>
    isForbidden(error)
      ? `You are not allowed to change incidents of ${tenant}: only its operators and platform admins can.`
      : errorMessage(error);
}

/** One incident at `/incidents/:tenant/:incidentId`: facts, actions and timeline. */
export const IncidentPage = () => {
  const classes = useStyles();
  const { tenant, incidentId } = useRouteRefParams(incidentRouteRef);
  const api = useApi(qualityApiRef);
  const incidentsRoute = useRouteRef(incidentsRouteRef);
  const identity = useUserTenants(api);
  const [detail, setDetail] = useState<QualityIncidentDetail>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState<ResolveIncidentRequest['reason'] | ''>(
    '',
  );
  const [comment, setComment] = useState('');

  useEffect(() => {
    let current = true;
    setError(undefined);
    setDetail(undefined);
    api.getIncident(tenant, incidentId).then(
      value => current && setDetail(value),
      e => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [api, tenant, incidentId, attempt]);

  const canManage =
    !!identity.identity &&
    (identity.identity.platformAdmin ||
      identity.identity.tenants.some(
        t =>
          t.name === tenant &&
          akiliRolesGrant(t.roles, akiliQualityIncidentsManagePermission),
      ));

  const back = incidentsRoute ? (
    <Box mb={2}>
      <Link to={`${incidentsRoute()}?tenant=${encodeURIComponent(tenant)}`}>
        ← Incidents of {tenant}
      </Link>
    </Box>
  ) : null;

  if (error) {
    return (
      <div className={classes.root}>
        {back}
        <QualityErrorPanel
          error={error}
          what={`incident ${incidentId} of ${tenant}`}
          forbidden={`Only developers and operators of ${tenant} (and platform admins) can see its incidents.`}
          notFound={`No incident ${incidentId} in ${tenant}.`}
          onRetry={() => setAttempt(a => a + 1)}
        />
      </div>
    );
  }
  if (!detail) {
    return (
      <div className={classes.root}>
        <Progress />
      </div>
    );
  }
  const { incident, timeline } = detail;
  const open = incident.state !== 'resolved';

  const act = async (call: () => Promise<QualityIncidentDetail>) => {
    setBusy(true);
    setActionError(undefined);
    try {
      setDetail(await call());
    } catch (e) {
      setActionError(describeActionError(tenant)(e));
    } finally {
      setBusy(false);
    }
  };

  const commentRequired = reason === 'other';
  const minutesBetween = (from: string, to?: string) =>
    to ? (Date.parse(to) - Date.parse(from)) / 60_000 : undefined;

  return (
    <div className={classes.root}>
      {back}
      <Box display="flex" alignItems="center" gridGap={12} mb={2}>
        <IncidentStateChip state={incident.state} />
        <Typography variant="h5" component="h1">
          {incident.title}
        </Typography>
      </Box>
      {canManage ? (
        <Box className={classes.actions}>
          {incident.state === 'new' && (
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={() =>
                act(() => api.acknowledgeIncident(tenant, incident.id))
              }
            >
              Acknowledge
            </Button>
          )}
          {open && (
            <Button
              variant="outlined"
              disabled={busy}
              onClick={() => {
                setAssignee(
                  incident.assignee ?? identity.identity?.userEntityRef ?? '',
                );
                setDialog('assign');
              }}
            >
              Assign
            </Button>
          )}
          {open && (
            <Button
              variant="outlined"
              disabled={busy}
              onClick={() => {
                setReason('');
                setComment('');
                setDialog('resolve');
              }}
            >
              Resolve
            </Button>
          )}
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => {
              setComment('');
              setDialog('comment');
            }}
          >
            Comment
          </Button>
        </Box>
      ) : (
        !identity.loading && (
          <Box mb={2}>
            <Alert severity="info">
              Only operators of {tenant} and platform admins can acknowledge,
              assign, resolve or comment on incidents.
            </Alert>
          </Box>
        )
      )}
      {actionError && (
        <Box mb={2}>
          <Alert severity="error" onClose={() => setActionError(undefined)}>
            {actionError}
          </Alert>
        </Box>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} md={5}>
          <InfoCard title="Incident">
            <Box className={classes.facts}>
              <Typography variant="body2" color="textSecondary">
                Product
              </Typography>
              <Typography variant="body2" component="div">
                <ProductLink
                  product={incident.product}
                  tenant={tenant}
                  tab="quality"
                />
              </Typography>
              <Typography variant="body2" color="textSecondary">
                Cause
              </Typography>
              <Typography variant="body2">
                {incident.cause.kind}: {incident.cause.key}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                Severity
              </Typography>
              <Box>
                <SeverityChip severity={incident.severity} />
              </Box>
              <Typography variant="body2" color="textSecondary">
                Assignee
              </Typography>
              <Typography variant="body2">
                {formatActor(incident.assignee)}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                Opened
              </Typography>
              <Typography variant="body2">
                <Ago at={incident.openedAt} />
              </Typography>
              <Typography variant="body2" color="textSecondary">
                Failures
              </Typography>
              <Typography variant="body2">
                {incident.failures}, last <Ago at={incident.lastFailureAt} />
              </Typography>
              {incident.acknowledgedAt && (
                <>
                  <Typography variant="body2" color="textSecondary">
                    Acknowledged after
                  </Typography>
                  <Typography variant="body2">
                    {formatMinutes(
                      minutesBetween(
                        incident.openedAt,
                        incident.acknowledgedAt,
                      ),
                    )}
                  </Typography>
                </>
              )}
              {incident.resolvedAt && (
                <>
                  <Typography variant="body2" color="textSecondary">
                    Resolved after
                  </Typography>
                  <Typography variant="body2">
                    {formatMinutes(
                      minutesBetween(incident.openedAt, incident.resolvedAt),
                    )}
                  </Typography>
                </>
              )}
              {incident.resolution && (
                <>
                  <Typography variant="body2" color="textSecondary">
                    Resolution
                  </Typography>
                  <Typography variant="body2">
                    {RESOLUTION_LABELS[incident.resolution.reason] ??
                      incident.resolution.reason}
                    {incident.resolution.comment
                      ? `: ${incident.resolution.comment}`
                      : ''}{' '}
                    ({formatActor(incident.resolution.by)})
                  </Typography>
                </>
              )}
            </Box>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard title="Timeline">
            {timeline.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                Nothing happened yet.
              </Typography>
            ) : (
              <ol className={classes.timeline} aria-label="Timeline">
                {timeline.map(entry => (
                  <li key={entry.id}>
                    <Typography variant="body2">
                      {describeTimelineEntry(entry)}
                    </Typography>
                    <Typography variant="caption" color="textSecondary">
                      {formatActor(entry.actor)} ·{' '}
                      <Timestamp value={entry.at} />
                    </Typography>
                  </li>
                ))}
              </ol>
            )}
          </InfoCard>
        </Grid>
      </Grid>

      <ActionDialog
        open={dialog === 'assign'}
        title="Assign the incident"
        submitLabel="Assign"
        canSubmit={assignee.trim().length > 0}
        onClose={() => setDialog(undefined)}
        describeError={describeActionError(tenant)}
        onSubmit={async () => {
          const ref = assignee.trim().includes(':')
            ? assignee.trim()
            : `user:default/${assignee.trim()}`;
          setDetail(await api.assignIncident(tenant, incident.id, ref));
        }}
      >
        <TextField
          id="quality-assign-assignee"
          fullWidth
          label="Assignee"
          placeholder="user:default/jane"
          helperText="A user entity ref (user:default/jane) or a user name"
          value={assignee}
          onChange={e => setAssignee(e.target.value)}
        />
      </ActionDialog>

      <ActionDialog
        open={dialog === 'resolve'}
        title="Resolve the incident"
        submitLabel="Resolve"
        canSubmit={
          reason !== '' && (!commentRequired || comment.trim().length > 0)
        }
        onClose={() => setDialog(undefined)}
        describeError={describeActionError(tenant)}
        onSubmit={async () => {
          if (reason === '') return;
          setDetail(
            await api.resolveIncident(tenant, incident.id, {
              reason,
              ...(comment.trim() ? { comment: comment.trim() } : {}),
            }),
          );
        }}
      >
        <FormControl fullWidth margin="normal">
          <InputLabel id="quality-resolve-reason-label">Reason</InputLabel>
          <Select
            labelId="quality-resolve-reason-label"
            id="quality-resolve-reason"
            value={reason}
            onChange={e =>
              setReason(e.target.value as ResolveIncidentRequest['reason'])
            }
            SelectDisplayProps={
              {
                'aria-label': 'Reason',
              } as React.HTMLAttributes<HTMLDivElement>
            }
          >
            {INCIDENT_RESOLUTION_REASONS.map(r => (
              <MenuItem key={r} value={r}>
                {RESOLUTION_LABELS[r]}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="quality-resolve-comment"
          fullWidth
          multiline
          minRows={3}
          margin="normal"
          label={commentRequired ? 'Comment (required for "Other")' : 'Comment'}
          required={commentRequired}
          error={commentRequired && comment.trim().length === 0}
          value={comment}
          onChange={e => setComment(e.target.value)}
        />
      </ActionDialog>

      <ActionDialog
        open={dialog === 'comment'}
        title="Comment on the incident"
        submitLabel="Comment"
        canSubmit={comment.trim().length > 0}
        onClose={() => setDialog(undefined)}
        describeError={describeActionError(tenant)}
        onSubmit={async () => {
          setDetail(
            await api.commentIncident(tenant, incident.id, comment.trim()),
          );
        }}
      >
        <TextField
          id="quality-comment"
          fullWidth
          multiline
          minRows={3}
          label="Comment"
          value={comment}
          onChange={e => setComment(e.target.value)}
        />
      </ActionDialog>
    </div>
  );
};
