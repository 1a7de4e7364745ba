import { FormEvent, useEffect, useState } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import type {
  QueryAuditEntry,
  QueryOutcome,
} from '@akili/plugin-starrocks-common';
import {
  Box,
  Button,
  FormControl,
  IconButton,
  InputLabel,
  makeStyles,
  MenuItem,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ColoredChip,
  Timestamp,
  useQueryParamState,
} from '@akili/plugin-akili-react';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import { AUDIT_PAGE_SIZE, useQueryAudit } from '../../hooks/useQueryAudit';
import {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '../../lib/errors';
import {
  actorRefOf,
  formatActor,
  formatBytes,
  formatCount,
  formatDuration,
} from '../../lib/format';

/** The outcomes as the route names them, in the order the filter lists them. */
const OUTCOMES: Record<
  QueryOutcome,
  { label: string; background: string; color: string }
> = {
  succeeded: { label: 'Succeeded', background: '#15803d', color: '#ffffff' },
  refused: { label: 'Refused', background: '#b45309', color: '#ffffff' },
  failed: { label: 'Failed', background: '#b91c1c', color: '#ffffff' },
  cancelled: { label: 'Cancelled', background: '#6b7280', color: '#ffffff' },
  timeout: { label: 'Timed out', background: '#6d28d9', color: '#ffffff' },
};

/** Characters of a statement or message shown in the table; the rest on expand. */
const SHORT = 100;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  outcome: { minWidth: 160 },
  actor: { minWidth: 280 },
  statement: {
    fontFamily: theme.typography.fontFamily,
    maxWidth: 360,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  code: { fontFamily: 'monospace', fontSize: '0.8rem' },
  full: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    margin: 0,
    padding: theme.spacing(1),
    background: theme.palette.background.default,
  },
  footer: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginTop: theme.spacing(2),
  },
}));

const OutcomeChip = (props: { outcome: QueryOutcome }) => {
  const outcome = OUTCOMES[props.outcome] ?? {
    label: props.outcome,
    background: '#6b7280',
    color: '#ffffff',
  };
  return <ColoredChip label={outcome.label} colors={outcome} />;
};

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SHORT ? `${line.slice(0, SHORT)}…` : line;
}

/** `dataproduct:acme/orders` as "orders" in acme's trail; the whole ref for another namespace. */
function productName(ref: string, tenant: string): string {
  return ref.replace(/^dataproduct:/i, '').replace(`${tenant}/`, '');
}

const AuditRow = (props: {
  entry: QueryAuditEntry;
  tenant: string;
  onActor(actorRef: string): void;
}) => {
  const { entry, tenant, onActor } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const detailsId = `starrocks-audit-${entry.id}`;
  return (
    <>
      <TableRow>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={open ? 'Hide the details' : 'Show the details'}
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            onClick={() => setOpen(!open)}
          >
            {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
          </IconButton>
        </TableCell>
        <TableCell>
          <Timestamp value={entry.startedAt} />
        </TableCell>
        <TableCell>
          <Button
            size="small"
            title={`Only the queries of ${entry.actorRef}`}
            onClick={() => onActor(entry.actorRef)}
          >
            {formatActor(entry.actorRef)}
          </Button>
        </TableCell>
        <TableCell>
          <OutcomeChip outcome={entry.outcome} />
        </TableCell>
        <TableCell>
          {entry.products.length
            ? entry.products.map(ref => (
                <div key={ref} title={ref}>
                  {productName(ref, tenant)}
                </div>
              ))
            : '—'}
        </TableCell>
        <TableCell align="right">{formatCount(entry.rowCount)}</TableCell>
        <TableCell align="right">{formatBytes(entry.bytes)}</TableCell>
        <TableCell align="right">{formatDuration(entry.durationMs)}</TableCell>
        <TableCell className={classes.statement}>
          <span className={classes.code}>{short(entry.statement)}</span>
          {entry.statementTruncated && (
            <Typography variant="caption" color="textSecondary">
              {' '}
              (cut)
            </Typography>
          )}
        </TableCell>
        <TableCell>
          {entry.message && (
            <Typography variant="body2" color="error">
              {short(entry.message)}
            </Typography>
          )}
        </TableCell>
      </TableRow>
      {open && (
        <TableRow id={detailsId}>
          <TableCell />
          <TableCell colSpan={9}>
            <Typography variant="subtitle2">Statement</Typography>
            <pre className={classes.full} aria-label="Statement">
              {entry.statement}
            </pre>
            {entry.statementTruncated && (
              <Typography variant="caption" color="textSecondary" paragraph>
                The trail keeps the first 10,000 characters of a statement: this
                one was longer and is cut.
              </Typography>
            )}
            {entry.message && (
              <>
                <Typography variant="subtitle2">
                  {entry.outcome === 'refused' ? 'Refusal' : 'Error'}
                </Typography>
                <Typography variant="body2" paragraph>
                  {entry.message}
                </Typography>
              </>
            )}
            <Typography variant="body2">
              Tables read:{' '}
              {entry.tables.length ? entry.tables.join(', ') : 'none'}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              Who: {entry.actorRef} · Query id: {entry.id}
            </Typography>
          </TableCell>
        </TableRow>
      )}
    </>
  );
};

/**
 * Who queried the tenant's data products, what, and how it ended: the query audit trail
 * (`GET /v1/tenants/:tenant/audit`), newest first, filtered by outcome and actor, older pages on
 * demand. For the tenant's operators and platform admins; the page shows it to them only, and a
 * 403 (roles changed since) reads as a note. The filters live in the URL (`?outcome=&actor=`).
 */
export const QueryAudit = (props: { tenant: string }) => {
  const { tenant } = props;
  const classes = useStyles();
  // The filters and the pages shown live in the URL; a filter change starts from the newest.
  const [outcomeParam, setOutcomeParam] = useQueryParamState('outcome');
  const setOutcome = (value: string) =>
    setOutcomeParam(value, { reset: ['pages'] });
  const [pages, setPages] = useQueryParamState('pages', '1', { replace: true });
  const outcome: QueryOutcome | '' = Object.keys(OUTCOMES).includes(
    outcomeParam,
  )
    ? (outcomeParam as QueryOutcome)
    : '';
  const [actorParam, setActorParam] = useQueryParamState('actor');
  const actor = actorParam || undefined;
  const setActor = (value: string | undefined) =>
    setActorParam(value ?? '', { reset: ['pages'] });
  const [actorText, setActorText] = useState(actorParam);
  useEffect(() => setActorText(actorParam), [actorParam]);
  const audit = useQueryAudit(
    tenant,
    { actor, outcome: outcome || undefined },
    { pages: Number(pages) || 1 },
  );
  const loadOlder = () => {
    setPages(String(Math.ceil(audit.items.length / AUDIT_PAGE_SIZE) + 1));
    audit.loadOlder();
  };

  const applyActor = (event: FormEvent) => {
    event.preventDefault();
    setActor(actorRefOf(actorText));
  };
  const showActor = (actorRef: string) => {
    setActorText(actorRef);
    setActor(actorRef);
  };
  const clearActor = () => {
    setActorText('');
    setActor(undefined);
  };
  const filtered = Boolean(actor || outcome);

  let content: JSX.Element;
  if (audit.loading) {
    content = <Progress />;
  } else if (isForbidden(audit.error) || isNotFound(audit.error)) {
    content = (
      <Alert severity="info">
        Only operators of {tenant} and platform admins can see who queried its
        data products.
      </Alert>
    );
  } else if (errorStatus(audit.error) === 400) {
    // The backend names the filter it could not take (an actor that is no user or token ref).
    content = (
      <Alert severity="warning">
        {errorMessage(audit.error).replace(/^Invalid audit query:\s*/, '')}
      </Alert>
    );
  } else if (audit.error) {
    content = (
      <WarningPanel
        severity="error"
        title={`The query audit trail of ${tenant} could not be loaded`}
        message={errorMessage(audit.error)}
        defaultExpanded
      >
        <Button variant="outlined" onClick={audit.reload}>
          Try again
        </Button>
      </WarningPanel>
    );
  } else if (audit.items.length === 0) {
    content = (
      <Typography variant="body2">
        {filtered
          ? 'No query of this tenant matches these filters: clear them to see every query.'
          : `Nobody has queried the data products of ${tenant} yet: queries run in the Workbench or with an API token show up here.`}
      </Typography>
    );
  } else {
    content = (
      <>
        <Table size="small" aria-label="Query audit">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>Outcome</TableCell>
              <TableCell>Products</TableCell>
              <TableCell align="right">Rows</TableCell>
              <TableCell align="right">Bytes</TableCell>
              <TableCell align="right">Duration</TableCell>
              <TableCell>Statement</TableCell>
              <TableCell>Refusal or error</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {audit.items.map(entry => (
              <AuditRow
                key={entry.id}
                entry={entry}
                tenant={tenant}
                onActor={showActor}
              />
            ))}
          </TableBody>
        </Table>
        <div className={classes.footer}>
          <Typography variant="body2" role="status">
            {formatCount(audit.items.length)}{' '}
            {audit.items.length === 1 ? 'query' : 'queries'}
            {audit.nextCursor ? '' : ', to the start of the trail'}
          </Typography>
          {audit.nextCursor && (
            <Button
              variant="outlined"
              onClick={loadOlder}
              disabled={audit.loadingOlder}
            >
              {audit.loadingOlder ? 'Loading…' : 'Load older'}
            </Button>
          )}
        </div>
        {audit.olderError !== undefined && (
          <Alert severity="error">
            Older queries could not be loaded: {errorMessage(audit.olderError)}
          </Alert>
        )}
      </>
    );
  }

  return (
    <Box>
      <Typography variant="body2" paragraph color="textSecondary">
        Every statement run over the data products of {tenant}, from this page,
        the Query tab, the actions and the API, newest first; refused ones too.
      </Typography>
      <div className={classes.filters}>
        <FormControl className={classes.outcome}>
          <InputLabel id="starrocks-audit-outcome-label">Outcome</InputLabel>
          <Select
            labelId="starrocks-audit-outcome-label"
            id="starrocks-audit-outcome"
            value={outcome}
            onChange={e => setOutcome(e.target.value as QueryOutcome | '')}
          >
            <MenuItem value="">Any</MenuItem>
            {(Object.keys(OUTCOMES) as QueryOutcome[]).map(value => (
              <MenuItem key={value} value={value}>
                {OUTCOMES[value].label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <form onSubmit={applyActor} aria-label="Filter by actor">
          <TextField
            id="starrocks-audit-actor"
            className={classes.actor}
            label="Who"
            value={actorText}
            onChange={e => setActorText(e.target.value)}
            placeholder="jane, user:default/jane or token:<id>"
            helperText={actor ? `Showing ${actor}` : 'Enter to filter'}
          />
          <Button type="submit" size="small">
            Filter
          </Button>
          {actor && (
            <Button size="small" onClick={clearActor}>
              Everyone
            </Button>
          )}
        </form>
        <Button size="small" onClick={audit.reload}>
          Refresh
        </Button>
      </div>
      {content}
    </Box>
  );
};
