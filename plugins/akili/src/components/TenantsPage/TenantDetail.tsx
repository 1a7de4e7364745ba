import { useMemo, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import type {
  Tenant,
  TenantAuditEntry,
  TenantEventsStatus,
  TenantMember,
} from '@akili/plugin-akili-common';
import {
  Box,
  Button,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { Alert } from '@material-ui/lab';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { akiliTenantsApiRef } from '../../api';
import {
  auditActionLabel,
  describeAuditDetails,
  formatCount,
  formatStorageQuota,
  formatUser,
  isNotFound,
} from '../../lib/tenants';
import { tenantsRouteRef } from '../../routes';
import { Fact } from '../common/Facts';
import {
  EditQuotasDialog,
  ResumeTenantDialog,
  SuspendTenantDialog,
} from './TenantDialogs';
import { Timestamp } from '@akili/plugin-akili-react';
import { TenantStatus } from './TenantStatus';
import { useAuditTrail } from './useAuditTrail';
import { LoadMoreFooter } from './LoadMoreFooter';
import { Restricted } from './Restricted';
import { DeadLettersCard } from './DeadLettersCard';
import { ApiTokensCard } from './ApiTokensCard';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  actions: {
    marginLeft: 'auto',
    display: 'flex',
    gap: theme.spacing(1),
  },
  back: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
  },
  note: {
    marginBottom: theme.spacing(1),
  },
  details: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
  before: {
    textDecoration: 'line-through',
    color: theme.palette.text.secondary,
  },
}));

const OverviewCard = (props: { tenant: Tenant }) => {
  const { tenant } = props;
  return (
    <InfoCard title="Overview">
      <Grid container spacing={2} component="dl">
        <Fact label="Title">{tenant.title}</Fact>
        <Fact label="Name">{tenant.name}</Fact>
        <Fact label="Status">
          <TenantStatus tenant={tenant} />
        </Fact>
        <Fact label="Description" gridSizes={{ xs: 12 }}>
          {tenant.description}
        </Fact>
        <Fact label="Created by">
          <span title={tenant.createdBy}>{formatUser(tenant.createdBy)}</span>
        </Fact>
        <Fact label="Created">
          <Timestamp value={tenant.createdAt} />
        </Fact>
        <Fact label="Updated">
          <Timestamp value={tenant.updatedAt} />
        </Fact>
        <Fact label="Members seen">{formatCount(tenant.memberCount)}</Fact>
      </Grid>
    </InfoCard>
  );
};

const GroupsCard = (props: { tenant: Tenant }) => {
  const classes = useStyles();
  const { tenant } = props;
  return (
    <InfoCard title="Authentik groups">
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.note}
      >
        Membership of these Authentik groups grants the roles in {tenant.name}{' '}
        at sign-in. Users and groups need not exist in the catalog.
      </Typography>
      {tenant.groups.length === 0 ? (
        <Typography variant="body2">No groups are configured.</Typography>
      ) : (
        <Table size="small" aria-label="Authentik groups">
          <TableHead>
            <TableRow>
              <TableCell>Role</TableCell>
              <TableCell>Authentik group</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {tenant.groups.map(mapping => (
              <TableRow key={mapping.role}>
                <TableCell>{mapping.role}</TableCell>
                <TableCell>
                  <code>{mapping.group}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};

const MembersTable = (props: { members: TenantMember[] }) => {
  if (props.members.length === 0) {
    return (
      <Typography variant="body2">
        No members seen yet: users appear here once they call Akili as members
        of the tenant.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Members seen">
      <TableHead>
        <TableRow>
          <TableCell>User</TableCell>
          <TableCell>Roles</TableCell>
          <TableCell>First seen</TableCell>
          <TableCell>Last seen</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.members.map(member => (
          <TableRow key={member.userEntityRef}>
            <TableCell title={member.userEntityRef}>
              {member.displayName ?? formatUser(member.userEntityRef)}
            </TableCell>
            <TableCell>{member.roles.join(', ')}</TableCell>
            <TableCell>
              <Timestamp value={member.firstSeenAt} />
            </TableCell>
            <TableCell>
              <Timestamp value={member.lastSeenAt} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/** The tenant's domain events waiting in the outbox, why they wait, and each topic's last publish. */
const EventsStatus = (props: { status: TenantEventsStatus }) => {
  const { status } = props;
  return (
    <>
      {status.pending > 0 ? (
        <Alert severity={status.lastError ? 'warning' : 'info'}>
          {formatCount(status.pending)}{' '}
          {status.pending === 1 ? 'event waits' : 'events wait'} to be published
          {status.oldestPendingAt && (
            <>
              {' '}
              (oldest written <Timestamp value={status.oldestPendingAt} />)
            </>
          )}
          {status.lastError && <>: {status.lastError}</>}
        </Alert>
      ) : (
        <Typography variant="body2">
          Every event of the tenant has been published.
        </Typography>
      )}
      {status.openDeadLetters > 0 && (
        <Alert severity="warning">
          {formatCount(status.openDeadLetters)}{' '}
          {status.openDeadLetters === 1
            ? 'dead letter waits'
            : 'dead letters wait'}{' '}
          for a decision: see Dead letters below.
        </Alert>
      )}
      {status.topics.length > 0 && (
        <Table size="small" aria-label="Event topics">
          <TableHead>
            <TableRow>
              <TableCell>Topic</TableCell>
              <TableCell>Events</TableCell>
              <TableCell>Pending</TableCell>
              <TableCell>Last published</TableCell>
              <TableCell>Last event</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {status.topics.map(topic => (
              <TableRow key={topic.topic}>
                <TableCell>
                  <code>{topic.topic}</code>
                </TableCell>
                <TableCell>{formatCount(topic.total)}</TableCell>
                <TableCell>{formatCount(topic.pending)}</TableCell>
                <TableCell>
                  {topic.lastPublishedAt ? (
                    <Timestamp value={topic.lastPublishedAt} />
                  ) : (
                    'not yet'
                  )}
                </TableCell>
                <TableCell>
                  {topic.lastEvent ? (
                    <>
                      {topic.lastEvent.type}
                      <Typography
                        variant="caption"
                        display="block"
                        color="textSecondary"
                        title={topic.lastEvent.id}
                      >
                        {topic.lastEvent.subject}
                      </Typography>
                    </>
                  ) : (
                    'none'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
};

const AuditDetails = (props: { entry: TenantAuditEntry }) => {
  const classes = useStyles();
  const lines = describeAuditDetails(props.entry.details);
  if (lines.length === 0) {
    return null;
  }
  return (
    <ul className={classes.details}>
      {lines.map((line, index) => (
        <li key={index}>
          {line.field}:{' '}
          {line.kind === 'change' ? (
            <>
              <span className={classes.before}>{line.before}</span> →{' '}
              {line.after}
            </>
          ) : (
            line.value
          )}
        </li>
      ))}
    </ul>
  );
};

const AuditTable = (props: {
  entries: TenantAuditEntry[];
  /** Names people see, by user entity ref (the members seen), for the Who column. */
  names: ReadonlyMap<string, string>;
}) => {
  if (props.entries.length === 0) {
    return <Typography variant="body2">No audit entries yet.</Typography>;
  }
  return (
    <Table size="small" aria-label="Audit trail">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Details</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.entries.map(entry => (
          <TableRow key={entry.id}>
            <TableCell>
              <Timestamp value={entry.at} />
            </TableCell>
            <TableCell title={entry.actor}>
              {props.names.get(entry.actor) ?? formatUser(entry.actor)}
            </TableCell>
            <TableCell>{auditActionLabel(entry.action)}</TableCell>
            <TableCell>
              <AuditDetails entry={entry} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

type DialogKind = 'quotas' | 'suspend' | 'resume';

/** One tenant: overview, Authentik groups, quotas, members seen and audit trail. */
export const TenantDetail = (props: { admin: boolean }) => {
  const { admin } = props;
  const { tenant: name = '' } = useParams();
  const classes = useStyles();
  const api = useApi(akiliTenantsApiRef);
  const tenantsLink = useRouteRef(tenantsRouteRef);
  const [dialog, setDialog] = useState<DialogKind>();

  const tenant = useAsyncRetry(() => api.getTenant(name), [api, name]);
  const members = useAsyncRetry(() => api.listMembers(name), [api, name]);
  const events = useAsyncRetry(() => api.getEventsStatus(name), [api, name]);
  const audit = useAuditTrail(api, name);
  const memberNames = useMemo(
    () =>
      new Map(
        (members.value?.items ?? []).flatMap(member =>
          member.displayName
            ? [[member.userEntityRef, member.displayName] as const]
            : [],
        ),
      ),
    [members.value],
  );

  const refresh = () => {
    tenant.retry();
    members.retry();
    events.retry();
    audit.reload();
  };

  const back = (
    <Link to={tenantsLink ? tenantsLink() : '..'} className={classes.back}>
      <ArrowBackIcon fontSize="small" /> All tenants
    </Link>
  );

  if (tenant.loading && !tenant.value) {
    return <Progress />;
  }
  if (tenant.error || !tenant.value) {
    return (
      <>
        {back}
        {isNotFound(tenant.error) ? (
          <EmptyState
            missing="info"
            title={`No tenant ${name}`}
            description="The tenant does not exist, or you are not a member of it."
          />
        ) : (
          <>
            <ResponseErrorPanel
              error={tenant.error ?? new Error('No answer')}
              title={`Tenant ${name} could not be loaded`}
            />
            <Button variant="outlined" onClick={tenant.retry}>
              Try again
            </Button>
          </>
        )}
      </>
    );
  }

  const value = tenant.value;
  const suspended = value.status === 'suspended';
  const closeDialog = () => setDialog(undefined);

  return (
    <>
      {back}
      <Box className={classes.header}>
        <Box>
          <Typography variant="h4" component="h1">
            {value.title}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {value.name}
          </Typography>
        </Box>
        <TenantStatus tenant={value} />
        {admin && (
          <Box className={classes.actions}>
            <Button variant="outlined" onClick={() => setDialog('quotas')}>
              Edit quotas
            </Button>
            {suspended ? (
              <Button
                variant="outlined"
                color="primary"
                onClick={() => setDialog('resume')}
              >
                Resume
              </Button>
            ) : (
              <Button
                variant="outlined"
                color="secondary"
                onClick={() => setDialog('suspend')}
              >
                Suspend
              </Button>
            )}
          </Box>
        )}
      </Box>

      <Grid container spacing={3}>
        <Grid item xs={12} md={8}>
          <OverviewCard tenant={value} />
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="Quotas">
            <Grid container spacing={2} component="dl">
              <Fact label="Query row limit" gridSizes={{ xs: 6 }}>
                {formatCount(value.quotas.queryRowLimit)}
              </Fact>
              <Fact label="Concurrent queries" gridSizes={{ xs: 6 }}>
                {formatCount(value.quotas.maxConcurrentQueries)}
              </Fact>
              <Fact label="Lake storage quota" gridSizes={{ xs: 12 }}>
                {formatStorageQuota(value.quotas.storageQuotaBytes)}
              </Fact>
            </Grid>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <GroupsCard tenant={value} />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Members seen">
            <Restricted
              tenant={name}
              loading={members.loading && !members.value}
              error={members.error}
              what="members"
            >
              <MembersTable members={members.value?.items ?? []} />
            </Restricted>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Domain events">
            <Restricted
              tenant={name}
              loading={events.loading && !events.value}
              error={events.error}
              what="the domain events"
            >
              {events.value && <EventsStatus status={events.value} />}
            </Restricted>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <DeadLettersCard
            tenant={name}
            onRetried={() => {
              events.retry();
              audit.reload();
            }}
          />
        </Grid>
        <Grid item xs={12}>
          <ApiTokensCard tenant={name} onChanged={audit.reload} />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Audit trail">
            <Restricted
              tenant={name}
              loading={audit.loading}
              error={audit.entries.length === 0 ? audit.error : undefined}
              what="the audit trail"
            >
              <AuditTable entries={audit.entries} names={memberNames} />
              <LoadMoreFooter
                what="entries"
                shown={audit.entries.length}
                error={audit.error}
                nextCursor={audit.nextCursor}
                loadingMore={audit.loadingMore}
                loadMore={audit.loadMore}
              />
            </Restricted>
          </InfoCard>
        </Grid>
      </Grid>

      {admin && dialog === 'quotas' && (
        <EditQuotasDialog
          open
          tenant={value}
          onClose={closeDialog}
          onDone={refresh}
        />
      )}
      {admin && dialog === 'suspend' && (
        <SuspendTenantDialog
          open
          tenant={value}
          onClose={closeDialog}
          onDone={refresh}
        />
      )}
      {admin && dialog === 'resume' && (
        <ResumeTenantDialog
          open
          tenant={value}
          onClose={closeDialog}
          onDone={refresh}
        />
      )}
    </>
  );
};
