import { useApi, discoveryApiRef } from '@backstage/frontend-plugin-api';
import { EmptyState } from '@backstage/core-components';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { ColoredChip, Timestamp } from '@akili/plugin-akili-react';
import type {
  IncidentState,
  QualityFreshness,
  QualityOutcome,
} from '@akili/plugin-quality-common';
import useAsync from 'react-use/esm/useAsync';
import {
  INCIDENT_STATE_COLORS,
  INCIDENT_STATE_LABELS,
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  formatMinutes,
} from '../../lib/format';

const useStyles = makeStyles(theme => ({
  code: {
    display: 'block',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    fontFamily: 'monospace',
    fontSize: 12,
    padding: theme.spacing(1.5),
    background: theme.palette.action.hover,
    borderRadius: 4,
    textAlign: 'left',
    marginTop: theme.spacing(1),
  },
}));

/** A rule's latest outcome; a rule that never ran is "Unknown", never "Passed". */
export const OutcomeChip = (props: { outcome: QualityOutcome | 'unknown' }) => (
  <ColoredChip
    label={OUTCOME_LABELS[props.outcome]}
    colors={OUTCOME_COLORS[props.outcome]}
  />
);

/** An incident's state. */
export const IncidentStateChip = (props: { state: IncidentState }) => (
  <ColoredChip
    label={INCIDENT_STATE_LABELS[props.state]}
    colors={INCIDENT_STATE_COLORS[props.state]}
  />
);

/** A time as "5 minutes ago", the absolute time with its zone on hover. */
export const Ago = (props: { at: string }) => (
  <Timestamp value={props.at} format="relative" />
);

/** Freshness against the SLO in one line: age vs allowed delay, or why there is none. */
export function freshnessText(freshness: QualityFreshness): string {
  switch (freshness.status) {
    case 'no-slo':
      return 'No freshness SLO in the manifest';
    case 'unknown':
      return freshness.maxDelay
        ? `Never materialized successfully (SLO: at most ${freshness.maxDelay} old)`
        : 'Never materialized successfully';
    case 'fresh':
    case 'stale':
    default:
      return `${
        freshness.status === 'stale' ? 'Stale' : 'Fresh'
      }: last success ${formatMinutes(freshness.ageMinutes)} ago, SLO ${
        freshness.maxDelay ?? formatMinutes(freshness.maxDelayMinutes)
      }`;
  }
}

/** The curl command that reports one check result for a product. */
export function reportCommand(
  baseUrl: string,
  namespace: string,
  name: string,
): string {
  return [
    `curl -X POST ${baseUrl}/v1/products/${namespace}/${name}/results \\`,
    `  -H "Authorization: Bearer $AKILI_TOKEN" -H "Content-Type: application/json" \\`,
    `  -d '{"tool":"ci","results":[{"executionId":"run-1","rule":"<rule name>","outcome":"pass","observedAt":"${new Date()
      .toISOString()
      .slice(0, 19)}Z"}]}'`,
  ].join('\n');
}

/**
 * "No checks have reported for this product yet", with how to report: Dagster asset checks
 * named like the contract's rules, or the REST endpoint (a curl with a tenant API token).
 */
export const NoResultsYet = (props: { namespace: string; name: string }) => {
  const classes = useStyles();
  const discoveryApi = useApi(discoveryApiRef);
  const baseUrl = useAsync(
    () => discoveryApi.getBaseUrl('quality'),
    [discoveryApi],
  );
  return (
    <EmptyState
      missing="data"
      title="No checks have reported for this product yet"
      description="Every rule of the contract is unknown until a check reports a result: a Dagster asset check named like the rule (or with a dimension metadata entry), or any pipeline or contract-testing tool through the quality API with a tenant API token."
      action={
        <Box maxWidth={760}>
          <Typography variant="subtitle2">How to report a result</Typography>
          <code className={classes.code} aria-label="Report command">
            {reportCommand(
              baseUrl.value ?? '<portal>/api/quality',
              props.namespace,
              props.name,
            )}
          </code>
        </Box>
      }
    />
  );
};
