import type {
  IncidentResolutionReason,
  IncidentState,
  QualityOutcome,
  QualityResult,
} from '@akili/plugin-quality-common';
import type { ChipColors } from '@akili/plugin-akili-react';

/** Colours of a rule's latest outcome; `unknown` (never ran) is grey, never green. */
export const OUTCOME_COLORS: Record<QualityOutcome | 'unknown', ChipColors> = {
  pass: { background: '#2e7d32', color: '#ffffff' },
  warn: { background: '#f59e0b', color: '#1f1300' },
  fail: { background: '#c62828', color: '#ffffff' },
  error: { background: '#6d1b1b', color: '#ffffff' },
  unknown: { background: '#616161', color: '#ffffff' },
};

export const OUTCOME_LABELS: Record<QualityOutcome | 'unknown', string> = {
  pass: 'Passed',
  warn: 'Warned',
  fail: 'Failed',
  error: 'Error',
  unknown: 'Unknown',
};

export const INCIDENT_STATE_LABELS: Record<IncidentState, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  assigned: 'Assigned',
  resolved: 'Resolved',
};

export const INCIDENT_STATE_COLORS: Record<IncidentState, ChipColors> = {
  new: { background: '#c62828', color: '#ffffff' },
  acknowledged: { background: '#f59e0b', color: '#1f1300' },
  assigned: { background: '#1565c0', color: '#ffffff' },
  resolved: { background: '#2e7d32', color: '#ffffff' },
};

export const RESOLUTION_LABELS: Record<IncidentResolutionReason, string> = {
  'false-positive': 'False positive',
  'missing-data': 'Missing data',
  duplicates: 'Duplicates',
  'out-of-bounds': 'Out of bounds',
  upstream: 'Upstream problem',
  other: 'Other',
  recovered: 'Recovered by itself',
};

/** A score as people read it: `97` or `97.5`, `—` when there is none. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) return '—';
  return String(Math.round(score * 10) / 10);
}

/** A duration in minutes, coarsely: `45 min`, `3 h 10 min`, `2 d 4 h`. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) {
    return '—';
  }
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) {
    const rest = m % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }
  const d = Math.floor(h / 24);
  const rest = h % 24;
  return rest ? `${d} d ${rest} h` : `${d} d`;
}

/** An observed value as text; absent is `—`. */
export function formatObserved(value: QualityResult['observedValue']): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : String(Math.round(value * 10_000) / 10_000);
  }
  return String(value);
}

/** `dataproduct:acme/orders` → `{ namespace: 'acme', name: 'orders' }`; a bare name is in `tenant`. */
export function parseProductRef(
  ref: string,
  tenant?: string,
): { namespace: string; name: string } {
  const match = /^(?:dataproduct:)?(?:([^/]+)\/)?(.+)$/i.exec(ref);
  return {
    namespace: match?.[1] ?? tenant ?? 'default',
    name: match?.[2] ?? ref,
  };
}

/** The product name of a ref, for compact tables. */
export function productName(ref: string): string {
  return parseProductRef(ref).name;
}

/** `user:default/jane` → `jane`; other actors as they are. */
export function formatActor(actor: string | undefined): string {
  if (!actor) return '—';
  if (actor === 'akili:quality') return 'Akili (automatic)';
  const match = /^user:(?:[^/]+\/)?(.+)$/.exec(actor);
  return match ? match[1] : actor;
}
