import {
  Fragment,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { Progress } from '@backstage/core-components';
import {
  Box,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  InputAdornment,
  InputLabel,
  ListItemText,
  MenuItem,
  Select,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import SearchIcon from '@material-ui/icons/Search';
import {
  RUN_LOG_LEVELS,
  RunLogEvent,
  RunLogLevel,
} from '@akili/plugin-dagster-common';
import { Timestamp } from '@akili/plugin-akili-react';
import { dagsterRunsApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { errorMessage } from '../../lib/errors';
import { LOG_FOLLOW_MS, LOG_PAGE_SIZE } from '../../lib/runs';
import { DagsterErrorPanel } from '../common/DagsterErrorPanel';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  levels: {
    minWidth: 180,
  },
  search: {
    flex: '1 1 240px',
  },
  scroller: {
    maxHeight: 520,
    overflow: 'auto',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  cell: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    verticalAlign: 'top',
    whiteSpace: 'nowrap',
  },
  message: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    verticalAlign: 'top',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
  error: {
    color: theme.palette.error.main,
    fontWeight: 'bold',
  },
  warning: {
    color: theme.palette.warning.dark,
  },
  stack: {
    margin: theme.spacing(1, 0, 0),
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    overflowX: 'auto',
    fontSize: '0.75rem',
  },
  mark: {
    background: '#fde047',
    // Dark text on the yellow in both themes (the dark theme's text is light).
    color: '#1f1300',
    padding: 0,
  },
}));

/** Most pages read in one go while following, so a chatty run cannot keep the page busy. */
const MAX_PAGES_PER_FOLLOW = 10;

type LogState = {
  events: RunLogEvent[];
  cursor?: string;
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error?: unknown;
  laterError?: unknown;
};

function matches(event: RunLogEvent, needle: string): boolean {
  return [event.message, event.stepKey, event.eventType, event.error?.message]
    .filter((s): s is string => !!s)
    .some(s => s.toLocaleLowerCase().includes(needle));
}

/** `text` with every occurrence of `needle` marked (case-insensitive). */
const Highlight = (props: { text: string; needle: string }) => {
  const classes = useStyles();
  const { text, needle } = props;
  if (!needle) {
    return <>{text}</>;
  }
  const lower = text.toLocaleLowerCase();
  const parts: JSX.Element[] = [];
  let from = 0;
  let at = lower.indexOf(needle);
  while (at >= 0) {
    parts.push(<Fragment key={`t${from}`}>{text.slice(from, at)}</Fragment>);
    parts.push(
      <mark key={`m${at}`} className={classes.mark}>
        {text.slice(at, at + needle.length)}
      </mark>,
    );
    from = at + needle.length;
    at = lower.indexOf(needle, from);
  }
  parts.push(<Fragment key={`t${from}`}>{text.slice(from)}</Fragment>);
  return <>{parts}</>;
};

const LogRow = (props: { event: RunLogEvent; needle: string }) => {
  const { event, needle } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const levelClass: Partial<Record<RunLogLevel, string>> = {
    CRITICAL: classes.error,
    ERROR: classes.error,
    WARNING: classes.warning,
  };
  return (
    <TableRow data-testid="log-event">
      <TableCell className={classes.cell}>
        <Timestamp value={event.timestamp} format="time" />
      </TableCell>
      <TableCell className={`${classes.cell} ${levelClass[event.level] ?? ''}`}>
        {event.level}
      </TableCell>
      <TableCell className={classes.cell}>
        {event.stepKey ? (
          <Highlight text={event.stepKey} needle={needle} />
        ) : (
          ''
        )}
      </TableCell>
      <TableCell className={classes.cell}>{event.eventType ?? ''}</TableCell>
      <TableCell className={classes.message}>
        <Highlight text={event.message} needle={needle} />
        {event.error && (
          <Box>
            <Button
              size="small"
              color="secondary"
              aria-expanded={expanded}
              onClick={() => setExpanded(e => !e)}
            >
              {expanded ? 'Hide error' : 'Show error'}
            </Button>
            {expanded && (
              <pre className={classes.stack}>
                <Highlight text={event.error.message} needle={needle} />
                {event.error.stack ? `\n\n${event.error.stack}` : ''}
              </pre>
            )}
          </Box>
        )}
      </TableCell>
    </TableRow>
  );
};

/**
 * A run's log, read page by page: filtered by level on the server, searched here over what is
 * loaded, and followed live while the run is in flight (new events every 2 seconds, scrolled
 * into view).
 */
export const LogViewer = (props: { runId: string; inFlight: boolean }) => {
  const { runId, inFlight } = props;
  const classes = useStyles();
  const api = useApi(dagsterRunsApiRef);
  const [levels, setLevels] = useState<RunLogLevel[]>([]);
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(inFlight);
  const [state, setState] = useState<LogState>({
    events: [],
    hasMore: false,
    loading: true,
    loadingMore: false,
  });
  const stateRef = useRef(state);
  stateRef.current = state;
  const generation = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);

  const query = useCallback(
    (cursor?: string) =>
      api.getRunLogs(runId, {
        cursor,
        limit: LOG_PAGE_SIZE,
        levels: levels.length ? levels : undefined,
      }),
    [api, runId, levels],
  );

  const reload = useCallback(() => {
    const current = ++generation.current;
    setState({ events: [], hasMore: false, loading: true, loadingMore: false });
    query().then(
      page => {
        if (current === generation.current) {
          setState({
            events: page.events,
            cursor: page.cursor,
            hasMore: page.hasMore,
            loading: false,
            loadingMore: false,
          });
        }
      },
      error => {
        if (current === generation.current) {
          setState(s => ({ ...s, loading: false, error }));
        }
      },
    );
  }, [query]);

  useEffect(() => {
    reload();
  }, [reload]);

  /** Reads on from the cursor: one page, or (following) until there is no more for now. */
  const readOn = useCallback(
    async (maxPages: number) => {
      const current = generation.current;
      let pages = 0;
      setState(s => ({ ...s, loadingMore: true }));
      try {
        do {
          const page = await query(stateRef.current.cursor);
          if (current !== generation.current) {
            return;
          }
          stateRef.current = {
            ...stateRef.current,
            events: [...stateRef.current.events, ...page.events],
            cursor: page.cursor,
            hasMore: page.hasMore,
          };
          setState({ ...stateRef.current, laterError: undefined });
          pages++;
        } while (stateRef.current.hasMore && pages < maxPages);
        setState(s => ({ ...s, loadingMore: false }));
      } catch (laterError) {
        if (current === generation.current) {
          setState(s => ({ ...s, loadingMore: false, laterError }));
        }
      }
    },
    [query],
  );

  const following = follow && inFlight && !state.loading && !state.error;
  usePolling(() => readOn(MAX_PAGES_PER_FOLLOW), LOG_FOLLOW_MS, following);

  // The events of the run's last seconds arrive after it finished: read them once more.
  const wasInFlight = useRef(inFlight);
  useEffect(() => {
    if (
      wasInFlight.current &&
      !inFlight &&
      follow &&
      !stateRef.current.loading
    ) {
      readOn(MAX_PAGES_PER_FOLLOW);
    }
    wasInFlight.current = inFlight;
  }, [inFlight, follow, readOn]);

  useEffect(() => {
    const element = scroller.current;
    if (follow && element) {
      element.scrollTop = element.scrollHeight;
    }
  }, [follow, state.events.length]);

  const needle = search.trim().toLocaleLowerCase();
  // Each event keeps its position in the log as its key, whatever the search shows.
  const shown = useMemo(
    () =>
      state.events
        .map((event, position) => ({ event, position }))
        .filter(({ event }) => !needle || matches(event, needle)),
    [state.events, needle],
  );

  const total = state.events.length;
  const countText = needle
    ? `${shown.length} of ${total} loaded events match`
    : `${total} ${total === 1 ? 'event' : 'events'} loaded`;

  return (
    <>
      <Box className={classes.toolbar}>
        <FormControl className={classes.levels}>
          <InputLabel id="dagster-log-levels-label" shrink>
            Levels
          </InputLabel>
          <Select
            labelId="dagster-log-levels-label"
            id="dagster-log-levels"
            multiple
            displayEmpty
            value={levels}
            onChange={e => setLevels(e.target.value as RunLogLevel[])}
            renderValue={selected =>
              (selected as string[]).length
                ? (selected as string[]).join(', ')
                : 'All levels'
            }
          >
            {RUN_LOG_LEVELS.map(level => (
              <MenuItem key={level} value={level}>
                <Checkbox size="small" checked={levels.includes(level)} />
                <ListItemText primary={level} />
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="dagster-log-search"
          className={classes.search}
          label="Search loaded events"
          value={search}
          onChange={e => setSearch(e.target.value)}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon />
              </InputAdornment>
            ),
          }}
        />
        <FormControlLabel
          control={
            <Switch
              checked={follow && inFlight}
              disabled={!inFlight}
              onChange={e => setFollow(e.target.checked)}
              color="primary"
            />
          }
          label={inFlight ? 'Follow' : 'Follow (run finished)'}
        />
      </Box>
      {state.loading && <Progress />}
      {!state.loading && state.error !== undefined && (
        <DagsterErrorPanel
          error={state.error}
          what="the log of this run"
          onRetry={reload}
        />
      )}
      {!state.loading && state.error === undefined && (
        <>
          <Typography
            variant="caption"
            color="textSecondary"
            component="p"
            role="status"
          >
            {countText}
            {following ? ' · following' : ''}
          </Typography>
          <div className={classes.scroller} ref={scroller}>
            <Table size="small" stickyHeader aria-label="Log events">
              <TableHead>
                <TableRow>
                  <TableCell>Time</TableCell>
                  <TableCell>Level</TableCell>
                  <TableCell>Step</TableCell>
                  <TableCell>Event</TableCell>
                  <TableCell>Message</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map(({ event, position }) => (
                  <LogRow key={position} event={event} needle={needle} />
                ))}
                {shown.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={5}>
                      <Typography variant="body2" color="textSecondary">
                        {needle
                          ? 'No loaded event matches the search.'
                          : 'No events yet.'}
                      </Typography>
                    </TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </div>
          {state.laterError !== undefined && (
            <Box mt={1}>
              <Alert severity="warning">
                Could not read more of the log: {errorMessage(state.laterError)}
              </Alert>
            </Box>
          )}
          {(state.hasMore || (inFlight && !following)) && (
            <Box mt={1} display="flex" justifyContent="center">
              <Button
                variant="outlined"
                disabled={state.loadingMore}
                onClick={() => readOn(1)}
              >
                {state.hasMore ? 'Load more' : 'Load new events'}
              </Button>
            </Box>
          )}
        </>
      )}
    </>
  );
};
