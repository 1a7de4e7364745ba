import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Grid, Typography, makeStyles } from '@material-ui/core';
import { AKILI_RUN_TAGS, RunDetail } from '@akili/plugin-dagster-common';
import { Timestamp } from '@akili/plugin-akili-react';
import { formatAssetKey } from '../../lib/runs';
import {
  LaunchedBy,
  RelativeTime,
  RunDuration,
  RunLink,
  StatusChip,
} from '../common/RunBits';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
    textTransform: 'uppercase',
    letterSpacing: 0.5,
  },
  value: {
    wordBreak: 'break-word',
  },
}));

const Fact = (props: { label: string; children: ReactNode }) => {
  const classes = useStyles();
  return (
    <Grid item xs={6} md={3}>
      <Typography className={classes.label} component="dt">
        {props.label}
      </Typography>
      <Typography className={classes.value} component="dd" variant="body2">
        {props.children}
      </Typography>
    </Grid>
  );
};

const Time = (props: { iso?: string }) =>
  props.iso ? (
    <>
      <Timestamp value={props.iso} /> (<RelativeTime iso={props.iso} />)
    </>
  ) : (
    <>—</>
  );

/** Status, job, product, times and lineage of a run (re-executions name their parent and root). */
export const RunSummaryCard = (props: { run: RunDetail }) => {
  const { run } = props;
  const product = run.product ?? run.tags[AKILI_RUN_TAGS.product];
  return (
    <InfoCard title={`Run ${run.runId}`}>
      {/* The group is a wrapper: a role on the dl itself would hide its dt/dd pairs. */}
      <div role="group" aria-label="Run facts">
        <Grid container spacing={2} component="dl">
          <Fact label="Status">
            <StatusChip status={run.status} />
          </Fact>
          <Fact label="Job">{run.jobName}</Fact>
          <Fact label="Product">
            {product ? (
              <EntityRefLink
                entityRef={product}
                defaultKind="dataproduct"
                hideIcon
              />
            ) : (
              '—'
            )}
          </Fact>
          <Fact label="Launched by">
            <LaunchedBy launchedBy={run.launchedBy} />
          </Fact>
          <Fact label="Created">
            <Time iso={run.createdAt} />
          </Fact>
          <Fact label="Started">
            <Time iso={run.startedAt} />
          </Fact>
          <Fact label="Ended">
            <Time iso={run.endedAt} />
          </Fact>
          <Fact label="Duration">
            <RunDuration run={run} />
          </Fact>
          {run.stats && (
            <Fact label="Steps">
              {run.stats.stepsSucceeded} succeeded, {run.stats.stepsFailed}{' '}
              failed
            </Fact>
          )}
          {run.assetSelection && run.assetSelection.length > 0 && (
            <Fact label="Assets">
              {run.assetSelection.map(formatAssetKey).join(', ')}
            </Fact>
          )}
          {run.parentRunId && (
            <Fact label="Re-executes">
              <RunLink runId={run.parentRunId} />
            </Fact>
          )}
          {run.rootRunId && run.rootRunId !== run.parentRunId && (
            <Fact label="Root run">
              <RunLink runId={run.rootRunId} />
            </Fact>
          )}
          {run.repositoryLocationName && (
            <Fact label="Code location">
              {run.repositoryLocationName}
              {run.repositoryName ? ` / ${run.repositoryName}` : ''}
            </Fact>
          )}
        </Grid>
      </div>
    </InfoCard>
  );
};
