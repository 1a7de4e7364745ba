import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { RunStep } from '@akili/plugin-dagster-common';
import { useNow } from '../../hooks/useNow';
import { Timestamp } from '@akili/plugin-akili-react';
import { formatDuration } from '../../lib/runs';
import { noWrap, StatusChip } from '../common/RunBits';

/** How long a step took, or has been running. */
function stepDurationMs(step: RunStep, now: number): number | undefined {
  if (!step.startedAt) {
    return undefined;
  }
  const end = step.endedAt ? Date.parse(step.endedAt) : now;
  return end - Date.parse(step.startedAt);
}

/** The steps of a run from Dagster's step stats, in the order Dagster reports them. */
export const StepsTable = (props: { steps: RunStep[] }) => {
  const { steps } = props;
  const now = useNow(steps.some(s => s.status === 'IN_PROGRESS'));
  if (steps.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No step has started yet.
      </Typography>
    );
  }
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label="Steps">
        <TableHead>
          <TableRow>
            <TableCell style={noWrap}>Step</TableCell>
            <TableCell style={noWrap}>Status</TableCell>
            <TableCell style={noWrap}>Started</TableCell>
            <TableCell style={noWrap}>Duration</TableCell>
            <TableCell align="right" style={noWrap}>
              Attempts
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {steps.map(step => (
            <TableRow key={step.stepKey}>
              <TableCell>
                <code>{step.stepKey}</code>
              </TableCell>
              <TableCell style={noWrap}>
                {step.status ? <StatusChip status={step.status} /> : '—'}
              </TableCell>
              <TableCell style={noWrap}>
                <Timestamp value={step.startedAt} />
              </TableCell>
              <TableCell style={noWrap}>
                {formatDuration(stepDurationMs(step, now))}
              </TableCell>
              <TableCell align="right">{step.attempts ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
