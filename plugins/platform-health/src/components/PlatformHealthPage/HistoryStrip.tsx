import { makeStyles } from '@material-ui/core';
import type {
  PlatformDependencyCheck,
  PlatformDependencyStatus,
} from '@akili/plugin-platform-health-common';
import { formatAbsoluteTime } from '@akili/plugin-akili-react';
import { formatLatency } from '../../lib/format';

const WIDTH = 240;
const HEIGHT = 18;

const useStyles = makeStyles(theme => ({
  svg: { display: 'block' },
  track: { fill: theme.palette.action.hover },
}));

/** The colours of the statuses, shared by the strip and the status chip. */
export const STATUS_COLORS: Record<PlatformDependencyStatus, string> = {
  up: '#2e7d32',
  degraded: '#b45309',
  down: '#d32f2f',
  'not-configured': '#616161',
  unknown: '#616161',
};

/**
 * A dependency's last `hours` as a strip: one bar per check, placed by time, coloured by status;
 * hovering a bar shows when, the status, latency and error. Time without checks stays empty.
 */
export function HistoryStrip(props: {
  title: string;
  checks: PlatformDependencyCheck[];
  hours: number;
  frequencyMs: number;
  now?: number;
}) {
  const classes = useStyles();
  const { title, checks, hours, frequencyMs } = props;
  const end = props.now ?? Date.now();
  const span = hours * 3_600_000;
  const start = end - span;
  const barWidth = Math.max(1, (frequencyMs / span) * WIDTH);
  const failed = checks.filter(c => c.status !== 'up').length;
  return (
    <svg
      className={classes.svg}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${title}: ${checks.length} checks in the last ${hours} h, ${failed} not up`}
    >
      <rect
        className={classes.track}
        x={0}
        y={0}
        width={WIDTH}
        height={HEIGHT}
      />
      {checks.map((check, index) => {
        const at = Date.parse(check.checkedAt);
        const x = Math.min(
          WIDTH - barWidth,
          Math.max(0, ((at - start) / span) * WIDTH),
        );
        return (
          <rect
            key={`${check.checkedAt}-${index}`}
            data-status={check.status}
            x={x}
            y={0}
            width={barWidth}
            height={HEIGHT}
            fill={STATUS_COLORS[check.status]}
          >
            <title>
              {`${formatAbsoluteTime(check.checkedAt)}: ${
                check.status
              }, ${formatLatency(check.latencyMs)}${
                check.error ? ` — ${check.error}` : ''
              }`}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}
