import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  LinearProgress,
  makeStyles,
  MenuItem,
  Paper,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import StopIcon from '@material-ui/icons/Stop';
import GetAppIcon from '@material-ui/icons/GetApp';
import SaveIcon from '@material-ui/icons/Save';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { SchemaTable } from '@akili/plugin-starrocks-common';
import { starrocksQueryApiRef } from '../../api';
import { HistoryOutcome, useQueryLibrary } from '../../hooks/useQueryLibrary';
import { QueryRunState, useQueryRun } from '../../hooks/useQueryRun';
import { errorMessage, isRefused } from '../../lib/errors';
import { formatBytes, formatCount, formatDuration } from '../../lib/format';
import {
  csvFileName,
  describeResultColumns,
  positionOfError,
  starterQuery,
  tablesNamedIn,
} from '../../lib/sql';
import { QueryErrorPanel } from '../common/QueryErrorPanel';
import { QueryHistory, SavedQueries } from './QueryLibrary';
import { ResultColumns } from './ResultColumns';
import { ResultsGrid } from './ResultsGrid';
import { SchemaBrowser } from './SchemaBrowser';

const SqlEditor = lazy(() => import('./SqlEditor'));

/** Rows a run asks for; the tenant's row quota caps it on the server. */
export const ROW_LIMITS = [100, 1_000, 10_000, 100_000];
const DEFAULT_ROW_LIMIT = 1_000;

const useStyles = makeStyles(theme => ({
  editor: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    minHeight: 160,
  },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    margin: theme.spacing(1, 0),
  },
  grow: { flex: 1 },
  starters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
  },
  side: { padding: theme.spacing(1) },
}));

/** A query offered to start from: a label and its statement. */
export interface StarterQuery {
  label: string;
  sql: string;
}

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser the time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function historyOutcome(status: QueryRunState['status']): HistoryOutcome {
  if (status === 'succeeded' || status === 'cancelled') return status;
  return 'failed';
}

const RunStatus = (props: { state: QueryRunState }) => {
  const { state } = props;
  if (state.status === 'running') {
    return (
      <Box mb={1}>
        <LinearProgress />
        <Typography variant="body2" role="status">
          Running… {formatCount(state.rowCount)} rows received
        </Typography>
      </Box>
    );
  }
  if (state.status === 'cancelled') {
    return (
      <Typography variant="body2" role="status">
        Cancelled after {formatCount(state.rowCount)} rows.
      </Typography>
    );
  }
  if (state.status !== 'succeeded' || !state.summary) return null;
  const { summary } = state;
  return (
    <Box mb={1}>
      <Typography variant="body2" role="status">
        {formatCount(summary.rowCount)}{' '}
        {summary.rowCount === 1 ? 'row' : 'rows'} ·{' '}
        {formatDuration(summary.durationMs ?? 0)} ·{' '}
        {formatBytes(summary.bytes ?? 0)}
      </Typography>
      {summary.truncated && (
        <Alert severity="info">
          The result was cut at {formatCount(summary.rowCount)} rows (the row
          limit of this run or of the tenant). Narrow the query, or download CSV
          for up to the tenant's limit.
        </Alert>
      )}
      {(summary.masked ?? []).length > 0 && (
        <Alert severity="info">
          Masked for you (values are NULL):{' '}
          {summary
            .masked!.map(m => `${m.column} (${m.classification})`)
            .join(', ')}
          .
        </Alert>
      )}
    </Box>
  );
};

/**
 * The SQL workbench of one tenant: schema browser, saved queries and history beside an editor
 * with completion, Run (Ctrl/Cmd+Enter) and Cancel, the streamed result in a virtualized grid
 * with what the manifest says about each column, and CSV download. The Query page and the Query
 * tab of data products both show it.
 */
export const QueryWorkbench = (props: {
  tenant: string;
  initialSql?: string;
  starters?: StarterQuery[];
}) => {
  const { tenant, starters } = props;
  const classes = useStyles();
  const api = useApi(starrocksQueryApiRef);
  const library = useQueryLibrary();
  const [sql, setSql] = useState(props.initialSql ?? '');
  const [limit, setLimit] = useState(DEFAULT_ROW_LIMIT);
  const [side, setSide] = useState(0);
  const [selectedColumn, setSelectedColumn] = useState<string>();
  const [csv, setCsv] = useState<{ busy: boolean; error?: unknown }>({
    busy: false,
  });
  const [saving, setSaving] = useState<string | undefined>();

  const schema = useAsyncRetry(() => api.getSchema(tenant), [api, tenant]);
  const tables = useMemo<SchemaTable[]>(
    () => schema.value?.tables ?? [],
    [schema.value],
  );

  const { addHistory } = library;
  const { state, run, cancel } = useQueryRun({
    onFinished: finished =>
      addHistory({
        tenant,
        sql: finished.sql ?? '',
        at: new Date(finished.startedAt ?? Date.now()).toISOString(),
        outcome: historyOutcome(finished.status),
        rowCount: finished.rowCount,
        durationMs: finished.summary?.durationMs,
        message: finished.error ? errorMessage(finished.error) : undefined,
      }),
  });

  const running = state.status === 'running';
  const onRun = useCallback(() => {
    if (sql.trim() && !running) run(tenant, sql, limit);
  }, [sql, running, run, tenant, limit]);

  const editorError = useMemo(() => {
    if (state.status !== 'failed' || !isRefused(state.error)) return undefined;
    const message = errorMessage(state.error);
    return { message, position: positionOfError(message) };
  }, [state.status, state.error]);

  const resultColumns = useMemo(
    () =>
      describeResultColumns(
        state.columns,
        tablesNamedIn(state.sql ?? '', tables),
      ),
    [state.columns, state.sql, tables],
  );

  const onDownload = async () => {
    setCsv({ busy: true });
    try {
      // A file people open in a spreadsheet: formulas in the data must stay text.
      const blob = await api.downloadCsv(tenant, {
        sql,
        limit,
        spreadsheetSafe: true,
      });
      download(blob, csvFileName(tenant));
      setCsv({ busy: false });
    } catch (error) {
      setCsv({ busy: false, error });
    }
  };

  const open = (text: string) => setSql(text);
  const saved = library.saved.filter(q => q.tenant === tenant);
  const history = library.history.filter(e => e.tenant === tenant);

  let sidePanel;
  if (side === 0) {
    if (schema.loading) sidePanel = <Progress />;
    else if (schema.error) {
      sidePanel = (
        <QueryErrorPanel
          error={schema.error}
          tenant={tenant}
          what={`the tables of ${tenant}`}
        />
      );
    } else if (tables.length === 0) {
      sidePanel = (
        <Typography variant="body2" color="textSecondary">
          No tables to query: the data products of {tenant} have no table output
          ports yet.
        </Typography>
      );
    } else {
      sidePanel = (
        <SchemaBrowser
          tables={tables}
          onQueryTable={table => open(starterQuery(table.qualifiedName))}
        />
      );
    }
  } else if (side === 1) {
    sidePanel = (
      <SavedQueries
        items={saved}
        onOpen={open}
        onDelete={id => library.deleteSaved(id)}
      />
    );
  } else {
    sidePanel = <QueryHistory items={history} onOpen={open} />;
  }

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={3}>
        <Paper variant="outlined" className={classes.side}>
          <Tabs
            value={side}
            onChange={(_e, value) => setSide(value)}
            variant="fullWidth"
            indicatorColor="primary"
          >
            <Tab label="Tables" />
            <Tab label={`Saved (${saved.length})`} />
            <Tab label="History" />
          </Tabs>
          <Box mt={1}>{sidePanel}</Box>
        </Paper>
      </Grid>
      <Grid item xs={12} md={9}>
        {starters && starters.length > 0 && (
          <div className={classes.starters}>
            <Typography variant="body2">Start from:</Typography>
            {starters.map(starter => (
              <Chip
                key={starter.label}
                label={starter.label}
                clickable
                size="small"
                variant="outlined"
                onClick={() => open(starter.sql)}
                title={starter.sql}
              />
            ))}
          </div>
        )}
        <div className={classes.editor} role="region" aria-label="SQL editor">
          <Suspense fallback={<Progress />}>
            <SqlEditor
              value={sql}
              onChange={setSql}
              onRun={onRun}
              tables={tables}
              error={editorError}
            />
          </Suspense>
        </div>
        <div className={classes.toolbar}>
          <Button
            variant="contained"
            color="primary"
            startIcon={<PlayArrowIcon />}
            onClick={onRun}
            disabled={running || !sql.trim()}
            title="Run (Ctrl/Cmd+Enter)"
          >
            Run
          </Button>
          <Button
            variant="outlined"
            startIcon={<StopIcon />}
            onClick={cancel}
            disabled={!running}
          >
            Cancel
          </Button>
          <TextField
            id="starrocks-row-limit"
            select
            size="small"
            label="Row limit"
            value={limit}
            onChange={e => setLimit(Number(e.target.value))}
            style={{ minWidth: 120 }}
          >
            {ROW_LIMITS.map(value => (
              <MenuItem key={value} value={value}>
                {formatCount(value)}
              </MenuItem>
            ))}
          </TextField>
          <span className={classes.grow} />
          <Button
            startIcon={<SaveIcon />}
            onClick={() => setSaving('')}
            disabled={!sql.trim()}
          >
            Save
          </Button>
          <Button
            startIcon={<GetAppIcon />}
            onClick={onDownload}
            disabled={csv.busy || !sql.trim()}
          >
            {csv.busy ? 'Preparing CSV…' : 'Download CSV'}
          </Button>
        </div>
        {csv.error !== undefined && (
          <Box mb={1}>
            <QueryErrorPanel
              error={csv.error}
              tenant={tenant}
              what="the CSV download"
            />
          </Box>
        )}
        <RunStatus state={state} />
        {state.status === 'failed' && (
          <Box mb={1}>
            <QueryErrorPanel
              error={state.error}
              tenant={tenant}
              what="the query"
            />
            {editorError?.position && (
              <Typography variant="caption">
                Marked in the editor at line {editorError.position.line}, column{' '}
                {editorError.position.column}.
              </Typography>
            )}
          </Box>
        )}
        {state.status === 'idle' && (
          <Typography variant="body2" color="textSecondary">
            Write a SELECT over the tables on the left and choose Run
            (Ctrl/Cmd+Enter).
          </Typography>
        )}
        {state.columns.length > 0 &&
          (state.rowCount === 0 && state.status === 'succeeded' ? (
            <Typography variant="body2">The query returned no rows.</Typography>
          ) : (
            <Grid container spacing={1}>
              <Grid item xs={12} lg={9}>
                <ResultsGrid
                  columns={state.columns}
                  rows={state.rows}
                  rowCount={state.rowCount}
                  selectedColumn={selectedColumn}
                  onSelectColumn={setSelectedColumn}
                />
              </Grid>
              <Grid item xs={12} lg={3}>
                <ResultColumns
                  columns={resultColumns}
                  masked={state.summary?.masked ?? []}
                  selected={selectedColumn}
                />
              </Grid>
            </Grid>
          ))}
      </Grid>
      <Dialog open={saving !== undefined} onClose={() => setSaving(undefined)}>
        <DialogTitle>Save query</DialogTitle>
        <DialogContent>
          <TextField
            fullWidth
            id="starrocks-save-query-name"
            label="Name"
            value={saving ?? ''}
            onChange={e => setSaving(e.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setSaving(undefined)}>Close</Button>
          <Button
            color="primary"
            disabled={!saving?.trim()}
            onClick={async () => {
              await library.saveQuery({ tenant, name: saving!.trim(), sql });
              setSaving(undefined);
              setSide(1);
            }}
          >
            Save
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
};
