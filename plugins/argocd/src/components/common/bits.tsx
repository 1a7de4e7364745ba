import { ColoredChip, Timestamp } from '@akili/plugin-akili-react';
import type { DeploymentHealth } from '@akili/plugin-argocd-common';
import {
  healthColors,
  phaseColors,
  shortRevision,
  syncStatusStyle,
} from '../../lib/format';

/** A sync status as a coloured chip with words ("Out of sync"), never colour alone. */
export const SyncStatusChip = (props: { status?: string }) => {
  const { colors, label } = syncStatusStyle(props.status);
  return (
    <ColoredChip
      label={label}
      colors={colors}
      title={`Sync status: ${props.status ?? 'Unknown'}`}
    />
  );
};

/** ArgoCD's health as a coloured chip; its message on hover. */
export const HealthChip = (props: { health?: DeploymentHealth }) => {
  const status = props.health?.status ?? 'Unknown';
  const message = props.health?.message;
  return (
    <ColoredChip
      label={status}
      colors={healthColors(status)}
      title={`Health: ${status}${message ? ` — ${message}` : ''}`}
    />
  );
};

/** A sync operation's phase as a coloured chip. */
export const PhaseChip = (props: { phase: string }) => (
  <ColoredChip
    label={props.phase}
    colors={phaseColors(props.phase)}
    title={`Sync phase: ${props.phase}`}
  />
);

/** A revision by its short sha; the full revision on hover. */
export const Revision = (props: { revision?: string }) =>
  props.revision ? (
    <code title={props.revision}>{shortRevision(props.revision)}</code>
  ) : (
    <>—</>
  );

/** A point in time as "5 minutes ago", the exact time with its zone on hover. */
export const RelativeTime = (props: { iso?: string; now?: number }) => (
  <Timestamp value={props.iso} format="relative" now={props.now} />
);
