import { useEffect, useMemo, useState } from 'react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type {
  QualityProductScore,
  QualityStatus,
  QualityTenantScores,
} from '@akili/plugin-quality-common';
import { BackendRequester } from './BackendRequester';
import { ChipColors, ColoredChip } from './classification';

const QUALITY_STATUS_COLORS: Record<QualityStatus, ChipColors> = {
  failing: { background: '#c62828', color: '#ffffff' },
  stale: { background: '#6a1b9a', color: '#ffffff' },
  degraded: { background: '#f59e0b', color: '#1f1300' },
  healthy: { background: '#2e7d32', color: '#ffffff' },
  unknown: { background: '#616161', color: '#ffffff' },
};

const QUALITY_STATUS_LABELS: Record<QualityStatus, string> = {
  failing: 'Failing',
  stale: 'Stale',
  degraded: 'Degraded',
  healthy: 'Healthy',
  unknown: 'Unknown',
};

const QUALITY_STATUS_MEANINGS: Record<QualityStatus, string> = {
  failing: 'an error rule failed',
  stale: 'the freshness SLO is breached',
  degraded: 'a warning rule failed or a rule warned',
  healthy: 'every rule that ran passed and the data is fresh',
  unknown: 'no check has reported yet',
};

/**
 * Chip colours per quality status: failing red, stale purple, degraded amber, healthy green,
 * unknown grey (an unknown status is never shown as healthy).
 *
 * @public
 */
export function qualityStatusColors(status: string | undefined): ChipColors {
  return (
    QUALITY_STATUS_COLORS[status as QualityStatus] ??
    QUALITY_STATUS_COLORS.unknown
  );
}

/**
 * A quality status as a label: `failing` is "Failing".
 *
 * @public
 */
export function qualityStatusLabel(status: string | undefined): string {
  return (
    QUALITY_STATUS_LABELS[status as QualityStatus] ??
    QUALITY_STATUS_LABELS.unknown
  );
}

/**
 * A data product's quality status as a coloured chip, with the score when there is one
 * (`Healthy · 97`) and what the status means on hover.
 *
 * @public
 */
export const QualityStatusBadge = (props: {
  status: QualityStatus;
  score?: number | null;
}) => {
  const { status, score } = props;
  const label =
    score === undefined || score === null
      ? qualityStatusLabel(status)
      : `${qualityStatusLabel(status)} · ${Math.round(score)}`;
  return (
    <ColoredChip
      label={label}
      colors={qualityStatusColors(status)}
      title={`Quality ${qualityStatusLabel(status).toLowerCase()}: ${
        QUALITY_STATUS_MEANINGS[status] ?? QUALITY_STATUS_MEANINGS.unknown
      }`}
    />
  );
};

/** The answer of {@link useQualityScores}. @public */
export interface QualityScoresState {
  loading: boolean;
  /** Scores by product ref (`dataproduct:acme/orders`), of every tenant that answered. */
  scores: Map<string, QualityProductScore>;
  /** Tenants whose scores could not be read, with why. */
  failed: Array<{ tenant: string; error: Error }>;
}

/**
 * The quality scores of every product of the given tenants, from the quality backend's
 * `GET /v1/tenants/:tenant/scores`, one call per tenant. A tenant that fails (the quality
 * backend is not installed, down, or refuses) is listed in `failed`; the others still answer.
 *
 * @public
 */
export function useQualityScores(
  tenants: readonly string[],
): QualityScoresState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const requester = useMemo(
    () => new BackendRequester({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
  const key = [...new Set(tenants)].sort().join(',');
  const [state, setState] = useState<QualityScoresState>({
    loading: true,
    scores: new Map(),
    failed: [],
  });
  useEffect(() => {
    let current = true;
    const names = key ? key.split(',') : [];
    setState({ loading: names.length > 0, scores: new Map(), failed: [] });
    Promise.allSettled(
      names.map(tenant =>
        requester.request<QualityTenantScores>(
          'quality',
          `/v1/tenants/${encodeURIComponent(tenant)}/scores`,
        ),
      ),
    ).then(answers => {
      if (!current) return;
      const scores = new Map<string, QualityProductScore>();
      const failed: QualityScoresState['failed'] = [];
      answers.forEach((answer, i) => {
        if (answer.status === 'fulfilled') {
          for (const item of answer.value.items ?? []) {
            scores.set(item.product, item);
          }
        } else {
          const error =
            answer.reason instanceof Error
              ? answer.reason
              : new Error(String(answer.reason));
          failed.push({ tenant: names[i], error });
        }
      });
      setState({ loading: false, scores, failed });
    });
    return () => {
      current = false;
    };
  }, [requester, key]);
  return state;
}
