import { makeStyles } from '@material-ui/core/styles';
import type { LakeUsagePoint } from '@akili/plugin-lake-common';
import { formatBytes, formatCount } from '../../lib/format';

const WIDTH = 480;
const HEIGHT = 120;
const PAD = { left: 56, right: 8, top: 8, bottom: 20 };

const useStyles = makeStyles(theme => ({
  grid: { stroke: theme.palette.divider, strokeWidth: 1 },
  axisLabel: { fill: theme.palette.text.secondary, fontSize: 11 },
  area: { fill: theme.palette.primary.main, fillOpacity: 0.12 },
  line: {
    fill: 'none',
    stroke: theme.palette.primary.main,
    strokeWidth: 2,
    strokeLinejoin: 'round',
  },
  point: { fill: theme.palette.primary.main },
  quota: {
    stroke: theme.palette.error.main,
    strokeDasharray: '4 3',
    strokeWidth: 1,
  },
}));

const day = (iso: string) => iso.slice(0, 10);

/**
 * A tenant's stored bytes over its measurements, oldest left, from zero; the quota as a dashed
 * line when it is within reach of the chart. Each point names its day, bytes and objects on
 * hover; the chart describes itself for screen readers.
 */
export const UsageChart = (props: {
  history: LakeUsagePoint[];
  quotaBytes?: number;
  /** Names the chart: "Storage of acme". */
  label: string;
}) => {
  const { history, quotaBytes, label } = props;
  const classes = useStyles();
  if (history.length === 0) {
    return null;
  }
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const maxBytes = Math.max(...history.map(p => p.bytes), 1);
  // The quota line is drawn when usage is at least a quarter of it, else it flattens the line.
  const showQuota = quotaBytes !== undefined && maxBytes >= quotaBytes / 4;
  const top = showQuota ? Math.max(maxBytes, quotaBytes!) : maxBytes;
  const x = (i: number) =>
    PAD.left +
    (history.length <= 1 ? innerW / 2 : (i / (history.length - 1)) * innerW);
  const y = (bytes: number) => PAD.top + (1 - bytes / top) * innerH;
  const points = history.map((p, i) => `${x(i)},${y(p.bytes)}`).join(' ');
  const first = history[0];
  const last = history[history.length - 1];
  const description = `${formatBytes(first.bytes)} on ${day(
    first.measuredAt,
  )}, ${formatBytes(last.bytes)} on ${day(last.measuredAt)}, ${
    history.length
  } measurement${history.length === 1 ? '' : 's'}.`;

  return (
    <svg
      role="img"
      aria-label={`${label}. ${description}`}
      width="100%"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      style={{ maxHeight: HEIGHT * 1.5 }}
      data-testid="lake-usage-chart"
    >
      {[0, top].map(v => (
        <g key={v}>
          <line
            className={classes.grid}
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(v)}
            y2={y(v)}
          />
          <text
            className={classes.axisLabel}
            x={PAD.left - 4}
            y={y(v) + 4}
            textAnchor="end"
          >
            {formatBytes(v)}
          </text>
        </g>
      ))}
      {showQuota && (
        <line
          className={classes.quota}
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={y(quotaBytes!)}
          y2={y(quotaBytes!)}
        >
          <title>{`Quota: ${formatBytes(quotaBytes!)}`}</title>
        </line>
      )}
      <text
        className={classes.axisLabel}
        x={PAD.left}
        y={HEIGHT - 4}
        textAnchor="start"
      >
        {day(first.measuredAt)}
      </text>
      <text
        className={classes.axisLabel}
        x={WIDTH - PAD.right}
        y={HEIGHT - 4}
        textAnchor="end"
      >
        {day(last.measuredAt)}
      </text>
      {history.length > 1 && (
        <polygon
          className={classes.area}
          points={`${x(0)},${y(0)} ${points} ${x(history.length - 1)},${y(0)}`}
        />
      )}
      <polyline className={classes.line} points={points} />
      {history.map((p, i) => (
        <circle
          key={p.measuredAt}
          className={classes.point}
          cx={x(i)}
          cy={y(p.bytes)}
          r={2.5}
        >
          <title>{`${day(p.measuredAt)}: ${formatBytes(p.bytes)}, ${formatCount(
            p.objects,
          )} objects`}</title>
        </circle>
      ))}
    </svg>
  );
};
