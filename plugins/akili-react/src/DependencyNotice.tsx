import { useEffect, useMemo, useState } from 'react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import Alert from '@material-ui/lab/Alert';
import type {
  PlatformDependencyId,
  PlatformDependencyStatusSummary,
  PlatformStatusResponse,
} from '@akili/plugin-platform-health-common';
import { BackendRequester } from './BackendRequester';
import { errorStatus } from './errors';
import { formatAbsoluteTime } from './time';

/** How often the status is asked again; the backend checks every 30 s too. */
const POLL_INTERVAL_MS = 30_000;

/** What a page loses when a dependency is not answering, by default. */
const CONSEQUENCES: Partial<Record<PlatformDependencyId, string>> = {
  dagster: 'runs and quality checks may be missing or stale',
  starrocks: 'queries may fail or time out',
  argocd: 'the deployment state may be missing or stale',
  kubernetes: 'workloads and pods may be missing or stale',
  gitlab: 'repositories and pipelines may be missing or stale',
  'ceph-s3': 'files of the data lake may be missing',
  redpanda: 'events may arrive late',
};

/** The props of {@link DependencyNotice}. @public */
export interface DependencyNoticeProps {
  /** The platform dependencies the page needs, e.g. `['dagster']`. */
  dependencies: readonly PlatformDependencyId[];
  /** What the page loses when one is not answering; by default per dependency. */
  consequence?: string;
  /** How often to ask again, in milliseconds (default 30 s). */
  intervalMs?: number;
}

/** `10:02` today, `3 Dec, 10:02` on another day (the user's locale). */
function formatSince(iso: string, now: Date): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
  if (at.toDateString() === now.toDateString()) {
    return time;
  }
  return `${at.toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
  })}, ${time}`;
}

/**
 * The sentence for one dependency that is down or degraded; the time it went so shows the
 * absolute time with its zone on hover.
 */
const DependencyNoticeText = (props: {
  dependency: PlatformDependencyStatusSummary;
  consequence: string | undefined;
  now: Date;
}) => {
  const { dependency, consequence, now } = props;
  const state =
    dependency.status === 'down'
      ? `${dependency.title} is not answering`
      : `${dependency.title} is answering slowly or only partly`;
  const loses =
    consequence ??
    CONSEQUENCES[dependency.id] ??
    'what this page shows from it may be missing or stale';
  return (
    <>
      {state}
      {dependency.since && (
        <>
          {' since '}
          <time
            dateTime={dependency.since}
            title={formatAbsoluteTime(dependency.since)}
          >
            {formatSince(dependency.since, now)}
          </time>
        </>
      )}
      {` — ${loses}. The platform team has been told on the Platform health page.`}
    </>
  );
};

/**
 * A warning naming each platform dependency the page needs that is down or degraded, and since
 * when, from `GET /api/platform-health/v1/status` (asked on mount and every 30 s). Shows nothing
 * while they are up, when they are not configured, and when the status cannot be had (the
 * platform health plugin not installed, its route failing): it never breaks the page.
 *
 * @public
 */
export function DependencyNotice(props: DependencyNoticeProps) {
  const { dependencies, consequence, intervalMs = POLL_INTERVAL_MS } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const requester = useMemo(
    () => new BackendRequester({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
  const wanted = dependencies.join(',');
  const [affected, setAffected] = useState<PlatformDependencyStatusSummary[]>(
    [],
  );

  useEffect(() => {
    const ids = new Set(wanted.split(','));
    let cancelled = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const poll = async () => {
      try {
        const answer = await requester.request<PlatformStatusResponse>(
          'platform-health',
          '/v1/status',
        );
        if (cancelled) {
          return;
        }
        const list = Array.isArray(answer?.dependencies)
          ? answer.dependencies
          : [];
        setAffected(
          list.filter(
            d =>
              ids.has(d.id) && (d.status === 'down' || d.status === 'degraded'),
          ),
        );
      } catch (error) {
        if (cancelled) {
          return;
        }
        // Not knowing is not a warning; a 404 is the plugin not installed: stop asking.
        setAffected([]);
        if (errorStatus(error) === 404 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      }
    };
    timer = setInterval(poll, intervalMs);
    poll();
    return () => {
      cancelled = true;
      if (timer) {
        clearInterval(timer);
      }
    };
  }, [requester, wanted, intervalMs]);

  if (affected.length === 0) {
    return null;
  }
  const now = new Date();
  return (
    <>
      {affected.map(dependency => (
        <Alert
          key={dependency.id}
          severity="warning"
          role="alert"
          style={{ marginBottom: 16 }}
        >
          <DependencyNoticeText
            dependency={dependency}
            consequence={consequence}
            now={now}
          />
        </Alert>
      ))}
    </>
  );
}
