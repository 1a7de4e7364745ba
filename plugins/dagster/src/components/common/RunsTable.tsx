import {
  Box,
  Button,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Alert } from '@material-ui/lab';
import type { RunSummary } from '@akili/plugin-dagster-common';
import { errorMessage } from '../../lib/errors';
import {
  LaunchedBy,
  noWrap,
  RelativeTime,
  RunDuration,
  RunLink,
  StatusChip,
} from './RunBits';

/**
 * Runs as a table, newest first, with "Load more" for older ones. `showProduct` adds the
 * product column (the operators' page lists runs of many products).
 */
export const RunsTable = (props: {
  label: string;
  runs: RunSummary[];
  showProduct?: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  /** A further page or a refresh failed; the runs shown stay. */
  laterError?: unknown;
  onLoadMore: () => void;
}) => {
  const { runs, showProduct } = props;
  return (
    <>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label={props.label}>
          <TableHead>
            <TableRow>
              <TableCell style={noWrap}>Run</TableCell>
              <TableCell style={noWrap}>Status</TableCell>
              <TableCell style={noWrap}>Job</TableCell>
              {showProduct && <TableCell style={noWrap}>Product</TableCell>}
              <TableCell style={noWrap}>Started</TableCell>
              <TableCell style={noWrap}>Duration</TableCell>
              <TableCell style={noWrap}>Launched by</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.map(run => (
              <TableRow key={run.runId} hover>
                <TableCell style={noWrap}>
                  <RunLink runId={run.runId} />
                </TableCell>
                <TableCell style={noWrap}>
                  <StatusChip status={run.status} />
                </TableCell>
                <TableCell>{run.jobName}</TableCell>
                {showProduct && (
                  <TableCell>
                    {run.product ? (
                      <EntityRefLink
                        entityRef={run.product}
                        defaultKind="dataproduct"
                        hideIcon
                      />
                    ) : (
                      '—'
                    )}
                  </TableCell>
                )}
                <TableCell style={noWrap}>
                  <RelativeTime iso={run.startedAt ?? run.createdAt} />
                  {!run.startedAt && (
                    <Typography variant="caption" color="textSecondary">
                      {' '}
                      (created)
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={noWrap}>
                  <RunDuration run={run} />
                </TableCell>
                <TableCell>
                  <LaunchedBy launchedBy={run.launchedBy} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {props.laterError !== undefined && (
        <Box mt={1}>
          <Alert severity="warning">
            Could not read the runs again: {errorMessage(props.laterError)}
          </Alert>
        </Box>
      )}
      {props.hasMore && (
        <Box mt={1} display="flex" justifyContent="center">
          <Button
            variant="outlined"
            onClick={props.onLoadMore}
            disabled={props.loadingMore}
          >
            {props.loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </>
  );
};
