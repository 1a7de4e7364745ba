import type { ChipColors } from '@akili/plugin-akili-react';
import type {
  DeploymentHealthStatus,
  DeploymentInitiator,
  DeploymentOperationPhase,
  DeploymentSyncStatus,
} from '@akili/plugin-argocd-common';

const GREEN: ChipColors = { background: '#2e7d32', color: '#ffffff' };
const AMBER: ChipColors = { background: '#f59e0b', color: '#1f1300' };
const RED: ChipColors = { background: '#c62828', color: '#ffffff' };
const BLUE: ChipColors = { background: '#1565c0', color: '#ffffff' };
const GREY: ChipColors = { background: '#616161', color: '#ffffff' };
const PURPLE: ChipColors = { background: '#6a1b9a', color: '#ffffff' };

const SYNC_COLORS: Record<DeploymentSyncStatus, ChipColors> = {
  Synced: GREEN,
  OutOfSync: AMBER,
  Unknown: GREY,
};

const SYNC_LABELS: Record<DeploymentSyncStatus, string> = {
  Synced: 'Synced',
  OutOfSync: 'Out of sync',
  Unknown: 'Sync unknown',
};

const HEALTH_COLORS: Record<DeploymentHealthStatus, ChipColors> = {
  Healthy: GREEN,
  Progressing: BLUE,
  Degraded: RED,
  Suspended: PURPLE,
  Missing: AMBER,
  Unknown: GREY,
};

const PHASE_COLORS: Record<DeploymentOperationPhase, ChipColors> = {
  Running: BLUE,
  Terminating: AMBER,
  Failed: RED,
  Error: RED,
  Succeeded: GREEN,
};

/** Colours and label of a sync status; an unknown value reads as `Unknown`, grey. */
export function syncStatusStyle(status: string | undefined): {
  colors: ChipColors;
  label: string;
} {
  const known = (status ?? 'Unknown') as DeploymentSyncStatus;
  return {
    colors: SYNC_COLORS[known] ?? GREY,
    label: SYNC_LABELS[known] ?? status ?? 'Sync unknown',
  };
}

/** Colours of a health status (ArgoCD's words are the label); unknown values are grey. */
export function healthColors(status: string | undefined): ChipColors {
  return HEALTH_COLORS[status as DeploymentHealthStatus] ?? GREY;
}

/** Colours of a sync operation's phase. */
export function phaseColors(phase: string | undefined): ChipColors {
  return PHASE_COLORS[phase as DeploymentOperationPhase] ?? GREY;
}

/** A Git revision as people scan it: the first 7 characters of a commit sha, a tag or branch as is. */
export function shortRevision(revision: string | undefined): string {
  if (!revision) {
    return '—';
  }
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

/** Who started a sync: the user's name, ArgoCD's automated sync, or `—`. */
export function initiatorLabel(
  initiator: DeploymentInitiator | undefined,
): string {
  if (!initiator) {
    return '—';
  }
  if (initiator.automated) {
    return initiator.username
      ? `automated (${initiator.username})`
      : 'automated sync';
  }
  return initiator.username ?? 'unknown user';
}

/** A JSON value of a drift change as one line: strings as they are, absent as `(absent)`. */
export function formatDriftValue(value: unknown): string {
  if (value === undefined) {
    return '(absent)';
  }
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
}

/** `apps/Deployment` or `Service` for the core group. */
export function groupKind(group: string, kind: string): string {
  return group ? `${group}/${kind}` : kind;
}

/** The key of a resource within an Application. */
export function resourceKey(resource: {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return [
    resource.group,
    resource.kind,
    resource.namespace ?? '',
    resource.name,
  ].join('/');
}

// The Akili pages' one way of showing times.
export { formatRelative, formatTimestamp } from '@akili/plugin-akili-react';
