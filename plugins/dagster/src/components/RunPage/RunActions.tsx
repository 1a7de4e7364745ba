import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Box,
  Button,
  FormControlLabel,
  Radio,
  RadioGroup,
  Typography,
} from '@material-ui/core';
import ReplayIcon from '@material-ui/icons/Replay';
import StopIcon from '@material-ui/icons/Stop';
import type {
  ReexecuteRunRequest,
  RunDetail,
  RunPermissions,
} from '@akili/plugin-dagster-common';
import { dagsterRunsApiRef } from '../../api';
import { isInFlight, shortRunId } from '../../lib/runs';
import { runRouteRef } from '../../routes';
import { ActionDialog } from '../common/ActionDialog';

type Strategy = NonNullable<ReexecuteRunRequest['strategy']>;

/**
 * Re-execute and Terminate, each behind a confirmation, shown only when the caller's run
 * permissions allow them and the run is in a state where Dagster would accept them.
 */
export const RunActions = (props: {
  run: RunDetail;
  permissions?: RunPermissions;
  onChanged: (run: RunDetail) => void;
}) => {
  const { run, permissions } = props;
  const api = useApi(dagsterRunsApiRef);
  const navigate = useNavigate();
  const runLink = useRouteRef(runRouteRef);
  const [dialog, setDialog] = useState<'reexecute' | 'terminate'>();
  const failed = run.status === 'FAILURE';
  const [strategy, setStrategy] = useState<Strategy>(
    failed ? 'FROM_FAILURE' : 'ALL_STEPS',
  );

  const canReexecute = permissions?.launch === true && !isInFlight(run.status);
  const canTerminate = permissions?.terminate === true && run.canTerminate;
  if (!canReexecute && !canTerminate) {
    return null;
  }

  return (
    <Box display="flex" style={{ gap: 8 }}>
      {canReexecute && (
        <Button
          variant="outlined"
          color="primary"
          startIcon={<ReplayIcon />}
          onClick={() => {
            setStrategy(failed ? 'FROM_FAILURE' : 'ALL_STEPS');
            setDialog('reexecute');
          }}
        >
          Re-execute
        </Button>
      )}
      {canTerminate && (
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<StopIcon />}
          onClick={() => setDialog('terminate')}
        >
          Terminate
        </Button>
      )}
      {dialog === 'reexecute' && (
        <ActionDialog
          title={`Re-execute run ${shortRunId(run.runId)}?`}
          submitLabel="Re-execute"
          canSubmit
          onClose={() => setDialog(undefined)}
          onSubmit={async () => {
            const created = await api.reexecuteRun(run.runId, { strategy });
            if (runLink) {
              navigate(runLink({ runId: created.runId }));
            }
          }}
        >
          <Typography variant="body2" paragraph>
            A new run of {run.jobName} starts with the same run config; this run
            stays as it is.
          </Typography>
          <RadioGroup
            aria-label="What to run again"
            value={strategy}
            onChange={e => setStrategy(e.target.value as Strategy)}
          >
            <FormControlLabel
              value="FROM_FAILURE"
              disabled={!failed}
              control={<Radio />}
              label={
                failed
                  ? 'From failure: the failed steps and everything after them'
                  : 'From failure (only for failed runs)'
              }
            />
            <FormControlLabel
              value="ALL_STEPS"
              control={<Radio />}
              label="All steps"
            />
          </RadioGroup>
        </ActionDialog>
      )}
      {dialog === 'terminate' && (
        <ActionDialog
          title={`Terminate run ${shortRunId(run.runId)}?`}
          submitLabel="Terminate"
          destructive
          canSubmit
          onClose={() => setDialog(undefined)}
          onSubmit={async () =>
            props.onChanged(await api.terminateRun(run.runId))
          }
        >
          <Typography variant="body2">
            Dagster stops the run's steps; what they wrote so far stays. The run
            ends as canceled.
          </Typography>
        </ActionDialog>
      )}
    </Box>
  );
};
