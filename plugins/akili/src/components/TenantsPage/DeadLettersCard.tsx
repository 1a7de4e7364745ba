import { useCallback, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  AkiliDeadLetter,
  AkiliDeadLetterStatus,
} from '@akili/plugin-akili-common';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert, ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { ActionDialog, Timestamp } from '@akili/plugin-akili-react';
import { akiliTenantsApiRef } from '../../api';
import {
  deadLetterReasonLabel,
  formatCount,
  formatUser,
} from '../../lib/tenants';
import { LoadMoreFooter } from './LoadMoreFooter';
import { Restricted } from './Restricted';
import { usePagedList } from './usePagedList';

/** Dead letters asked for per page. */
export const DEAD_LETTER_PAGE_SIZE = 25;

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  detail: {
    maxWidth: 420,
    overflowWrap: 'anywhere',
  },
  payload: {
    maxHeight: 320,
    overflow: 'auto',
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
}));

const STATUS_LABELS: Record<AkiliDeadLetterStatus, string> = {
  open: 'Open',
  retried: 'Retried',
  all: 'All',
};

const EMPTY: Record<AkiliDeadLetterStatus, string> = {
  open: 'No open dead letters: the consumers processed every event they received.',
  retried: 'No dead letter has been retried yet.',
  all: 'No dead letters: no consumer has given up on a message of this tenant.',
};

/** The message, pretty-printed when it is JSON. */
function readablePayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

const RetryDialog = (props: {
  tenant: string;
  deadLetter: AkiliDeadLetter;
  onClose: () => void;
  onDone: (retried: AkiliDeadLetter) => void;
}) => {
  const { tenant, deadLetter } = props;
  const api = useApi(akiliTenantsApiRef);
  return (
    <ActionDialog
      open
      title="Publish the message again?"
      submitLabel="Retry"
      canSubmit
      onClose={props.onClose}
      onSubmit={async () => {
        props.onDone(await api.retryDeadLetter(tenant, deadLetter.id));
      }}
    >
      <DialogContentText>
        The message goes back to topic <code>{deadLetter.topic}</code> with its
        key and headers
        {deadLetter.eventId && (
          <>
            , as event <code>{deadLetter.eventId}</code>
          </>
        )}
        . Consumers that already processed that event skip it
        {deadLetter.consumerGroup && (
          <>
            ; <code>{deadLetter.consumerGroup}</code>, which gave up on it,
            processes it again
          </>
        )}
        . Fix the cause first: {deadLetter.detail}
      </DialogContentText>
      {deadLetter.retries > 0 && (
        <Alert severity="info">
          Retried {formatCount(deadLetter.retries)}{' '}
          {deadLetter.retries === 1 ? 'time' : 'times'} already.
        </Alert>
      )}
    </ActionDialog>
  );
};

const MessageDialog = (props: {
  deadLetter: AkiliDeadLetter;
  onClose: () => void;
}) => {
  const classes = useStyles();
  const { deadLetter } = props;
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby="akili-dead-letter-message"
      fullWidth
      maxWidth="md"
    >
      <DialogTitle id="akili-dead-letter-message">
        Dead-lettered message
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Key <code>{deadLetter.key || '(none)'}</code> on topic{' '}
          <code>{deadLetter.topic}</code>
        </DialogContentText>
        <pre className={classes.payload} aria-label="Message">
          {readablePayload(deadLetter.payload)}
        </pre>
        {deadLetter.payloadTruncated && (
          <Typography variant="caption" color="textSecondary">
            The message is longer than shown here.
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};

/**
 * The messages the tenant's consumers gave up on (not JSON, not a valid event, of another
 * tenant, or the consumer kept failing), with the reason, and a retry that publishes one again.
 * For the tenant's operators and platform admins; a 403 reads as a note.
 */
export const DeadLettersCard = (props: {
  tenant: string;
  /** Called after a retry, so the events status and audit trail refresh. */
  onRetried?: () => void;
}) => {
  const { tenant, onRetried } = props;
  const classes = useStyles();
  const api = useApi(akiliTenantsApiRef);
  const [status, setStatus] = useState<AkiliDeadLetterStatus>('open');
  const [retrying, setRetrying] = useState<AkiliDeadLetter>();
  const [showing, setShowing] = useState<AkiliDeadLetter>();
  const [notice, setNotice] = useState<string>();

  const loadPage = useCallback(
    (cursor?: string) =>
      api.listDeadLetters(tenant, {
        status,
        limit: DEAD_LETTER_PAGE_SIZE,
        cursor,
      }),
    [api, tenant, status],
  );
  const list = usePagedList(loadPage);

  return (
    <InfoCard title="Dead letters">
      <Restricted
        tenant={tenant}
        loading={list.loading && list.items.length === 0}
        error={list.items.length === 0 ? list.error : undefined}
        what="the dead letters"
      >
        <Box className={classes.toolbar}>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={status}
            aria-label="Which dead letters"
            onChange={(_, value: AkiliDeadLetterStatus | null) => {
              if (value) {
                setNotice(undefined);
                setStatus(value);
              }
            }}
          >
            {(Object.keys(STATUS_LABELS) as AkiliDeadLetterStatus[]).map(
              value => (
                <ToggleButton key={value} value={value}>
                  {STATUS_LABELS[value]}
                </ToggleButton>
              ),
            )}
          </ToggleButtonGroup>
          <Button size="small" variant="outlined" onClick={list.reload}>
            Refresh
          </Button>
        </Box>
        {notice && (
          <Alert severity="success" onClose={() => setNotice(undefined)}>
            {notice}
          </Alert>
        )}
        {list.items.length === 0 ? (
          <Typography variant="body2">{EMPTY[status]}</Typography>
        ) : (
          <Table size="small" aria-label="Dead letters">
            <TableHead>
              <TableRow>
                <TableCell>Recorded</TableCell>
                <TableCell>Topic</TableCell>
                <TableCell>Consumer</TableCell>
                <TableCell>Reason</TableCell>
                <TableCell>Event</TableCell>
                <TableCell>Retried</TableCell>
                <TableCell aria-label="Actions" />
              </TableRow>
            </TableHead>
            <TableBody>
              {list.items.map(deadLetter => (
                <TableRow key={deadLetter.id}>
                  <TableCell>
                    <Timestamp value={deadLetter.deadLetteredAt} />
                  </TableCell>
                  <TableCell>
                    <code>{deadLetter.topic}</code>
                  </TableCell>
                  <TableCell>
                    {deadLetter.consumerGroup ? (
                      <code>{deadLetter.consumerGroup}</code>
                    ) : (
                      'unknown'
                    )}
                  </TableCell>
                  <TableCell className={classes.detail}>
                    <strong>{deadLetterReasonLabel(deadLetter.reason)}</strong>
                    {deadLetter.attempts !== undefined &&
                      ` after ${formatCount(deadLetter.attempts)} ${
                        deadLetter.attempts === 1 ? 'attempt' : 'attempts'
                      }`}
                    : {deadLetter.detail}
                  </TableCell>
                  <TableCell>
                    {deadLetter.eventType ?? 'unknown'}
                    {deadLetter.eventId && (
                      <Typography
                        variant="caption"
                        display="block"
                        color="textSecondary"
                      >
                        {deadLetter.eventId}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {deadLetter.retriedAt ? (
                      <>
                        <Timestamp value={deadLetter.retriedAt} />
                        {deadLetter.retriedBy &&
                          ` by ${formatUser(deadLetter.retriedBy)}`}
                      </>
                    ) : (
                      'no'
                    )}
                  </TableCell>
                  <TableCell>
                    <Box display="flex" style={{ gap: 8 }}>
                      <Button
                        size="small"
                        onClick={() => setShowing(deadLetter)}
                        aria-label={`Show message ${deadLetter.id}`}
                      >
                        Message
                      </Button>
                      <Button
                        size="small"
                        variant="outlined"
                        color="primary"
                        onClick={() => setRetrying(deadLetter)}
                        aria-label={`Retry ${deadLetter.id}`}
                      >
                        Retry
                      </Button>
                    </Box>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <LoadMoreFooter
          what="dead letters"
          shown={list.items.length}
          error={list.error}
          nextCursor={list.nextCursor}
          loadingMore={list.loadingMore}
          loadMore={list.loadMore}
        />
      </Restricted>
      {retrying && (
        <RetryDialog
          tenant={tenant}
          deadLetter={retrying}
          onClose={() => setRetrying(undefined)}
          onDone={retried => {
            setNotice(
              `Published again to ${retried.topic}${
                retried.eventId ? ` as event ${retried.eventId}` : ''
              }.`,
            );
            list.reload();
            onRetried?.();
          }}
        />
      )}
      {showing && (
        <MessageDialog
          deadLetter={showing}
          onClose={() => setShowing(undefined)}
        />
      )}
    </InfoCard>
  );
};
