import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RunAuditEntry } from '@akili/plugin-dagster-common';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dagsterRunsApiRef } from '../../api';
import { errorMessage, isForbidden } from '../../lib/errors';
import { Timestamp } from '@akili/plugin-akili-react';
import { formatUser } from '../../lib/runs';
import { RunLink } from '../common/RunBits';

const ACTIONS: Record<RunAuditEntry['action'], string> = {
  'run.launched': 'Launched',
  'run.reexecuted': 'Re-executed',
  'run.terminated': 'Terminated',
};

/** What became of an action, in words; the error or why there is none as its tooltip. */
const Outcome = (props: { entry: RunAuditEntry }) => {
  const { entry } = props;
  switch (entry.outcome) {
    case 'succeeded':
      return <>Done</>;
    case 'failed':
      return (
        <>
          Failed
          {entry.error && (
            <Typography variant="caption" component="div" color="error">
              {entry.error}
            </Typography>
          )}
        </>
      );
    default:
      return (
        <span title="The portal asked Dagster but recorded no answer: still in flight, or the portal stopped before it could. Look the run up in Dagster (its tag akili/audit-intent is this entry's id).">
          No answer recorded
        </span>
      );
  }
};

/** The details of an entry in words: `{ job, runConfig: true }` is "job orders_job, run config". */
function describe(entry: RunAuditEntry): string {
  const d = entry.details;
  switch (entry.action) {
    case 'run.launched':
      return [
        `job ${String(d.job)}`,
        Array.isArray(d.assetKeys)
          ? `assets ${(d.assetKeys as string[][])
              .map(k => k.join('/'))
              .join(', ')}`
          : undefined,
        d.runConfig ? 'with run config' : undefined,
      ]
        .filter(Boolean)
        .join(', ');
    case 'run.reexecuted':
      return `of run ${String(d.parentRunId).slice(0, 8)}, ${
        d.strategy === 'ALL_STEPS' ? 'all steps' : 'from failure'
      }`;
    case 'run.terminated':
      return `was ${String(d.statusBefore)}`;
    default:
      return '';
  }
}

/**
 * Who launched, re-executed or terminated which run of the tenant, and what became of it: the
 * audit trail the runs API writes (the intent before it asks Dagster, the outcome after). For
 * operators; a 403 reads as a note.
 */
export const RunAuditCard = (props: { tenant: string }) => {
  const { tenant } = props;
  const api = useApi(dagsterRunsApiRef);
  const audit = useAsyncRetry(
    () => api.listRunAudit(tenant, { limit: 50 }),
    [api, tenant],
  );

  let content: JSX.Element;
  if (audit.loading && !audit.value) {
    content = <Progress />;
  } else if (isForbidden(audit.error)) {
    content = (
      <Alert severity="info">
        Only operators of {tenant} and platform admins can see who controlled
        its runs.
      </Alert>
    );
  } else if (audit.error) {
    content = (
      <WarningPanel
        severity="error"
        title={`The run audit trail of ${tenant} could not be loaded`}
        message={errorMessage(audit.error)}
      />
    );
  } else if (!audit.value?.items.length) {
    content = (
      <Typography variant="body2">
        Nobody has launched, re-executed or terminated a run of {tenant} from
        the portal yet.
      </Typography>
    );
  } else {
    content = (
      <Table size="small" aria-label="Run control audit">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Who</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>Run</TableCell>
            <TableCell>Product</TableCell>
            <TableCell>Details</TableCell>
            <TableCell>Outcome</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {audit.value.items.map(entry => (
            <TableRow key={entry.id}>
              <TableCell>
                <Timestamp value={entry.at} />
              </TableCell>
              <TableCell title={entry.actor}>
                {formatUser(entry.actor)}
              </TableCell>
              <TableCell>{ACTIONS[entry.action] ?? entry.action}</TableCell>
              <TableCell>
                {entry.runId ? <RunLink runId={entry.runId} /> : '—'}
              </TableCell>
              <TableCell>
                {entry.product?.replace(/^dataproduct:/, '') ?? ''}
              </TableCell>
              <TableCell>{describe(entry)}</TableCell>
              <TableCell>
                <Outcome entry={entry} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return <InfoCard title="Run control audit">{content}</InfoCard>;
};
