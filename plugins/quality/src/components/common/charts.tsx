import { Box, Typography, makeStyles } from '@material-ui/core';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import type {
  QualityDimensionScore,
  QualityResult,
  QualityTrendDay,
} from '@akili/plugin-quality-common';
import { formatAbsoluteTime } from '@akili/plugin-akili-react';
import {
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  formatObserved,
  formatScore,
} from '../../lib/format';

const useStyles = makeStyles(theme => ({
  grid: {
    stroke: theme.palette.divider,
    strokeWidth: 1,
  },
  axisLabel: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
  },
  line: {
    fill: 'none',
    stroke: theme.palette.primary.main,
    strokeWidth: 2,
    strokeLinejoin: 'round',
  },
  point: {
    fill: theme.palette.primary.main,
  },
  gap: {
    fill: theme.palette.action.disabled,
  },
  bars: {
    display: 'grid',
    gridTemplateColumns: 'minmax(110px, auto) 1fr auto',
    alignItems: 'center',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(1),
  },
  track: {
    height: 10,
    borderRadius: 5,
    background: theme.palette.action.hover,
    overflow: 'hidden',
  },
}));

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 32, right: 8, top: 8, bottom: 20 };

/** Splits days into runs of consecutive days with a score: the line breaks on a day without. */
export function trendSegments(
  days: QualityTrendDay[],
): Array<Array<{ index: number; score: number }>> {
  const segments: Array<Array<{ index: number; score: number }>> = [];
  let current: Array<{ index: number; score: number }> = [];
  days.forEach((day, index) => {
    if (day.score === null || day.score === undefined) {
      if (current.length) segments.push(current);
      current = [];
    } else {
      current.push({ index, score: day.score });
    }
  });
  if (current.length) segments.push(current);
  return segments;
}

/** The period a trend covers, in days. */
export type TrendDays = 30 | 90;

/** The 30 / 90 days choice of a trend card's action. */
export const TrendPeriodToggle = (props: {
  days: TrendDays;
  onDays: (days: TrendDays) => void;
}) => (
  <ToggleButtonGroup
    size="small"
    exclusive
    value={props.days}
    onChange={(_e, value) => value && props.onDays(value)}
    aria-label="Trend period"
  >
    <ToggleButton value={30} aria-label="30 days">
      30 days
    </ToggleButton>
    <ToggleButton value={90} aria-label="90 days">
      90 days
    </ToggleButton>
  </ToggleButtonGroup>
);

/**
 * The daily score as a line, oldest day left, 0 to 100; a day without results breaks the line
 * (a gap, not a zero) and shows as a grey mark on the axis. Each point names its day and score
 * on hover; the chart describes itself for screen readers.
 */
export const TrendChart = (props: {
  days: QualityTrendDay[];
  /** Names the chart for screen readers: "Daily quality score of orders". */
  label: string;
}) => {
  const { days, label } = props;
  const classes = useStyles();
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left +
    (days.length <= 1 ? innerW / 2 : (i / (days.length - 1)) * innerW);
  const y = (score: number) => PAD.top + (1 - score / 100) * innerH;
  const segments = trendSegments(days);
  const scored = days.filter(d => d.score !== null);
  const missing = days.length - scored.length;
  const description =
    scored.length === 0
      ? `No results in the last ${days.length} days.`
      : `Daily score over ${days.length} days, from ${formatScore(
          scored[0].score,
        )} on ${scored[0].day} to ${formatScore(
          scored[scored.length - 1].score,
        )} on ${scored[scored.length - 1].day}; ${missing} day${
          missing === 1 ? '' : 's'
        } without results.`;

  return (
    <svg
      role="img"
      aria-label={`${label}. ${description}`}
      width="100%"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      style={{ maxHeight: HEIGHT * 1.5 }}
      data-testid="quality-trend-chart"
    >
      {[0, 50, 100].map(v => (
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
            {v}
          </text>
        </g>
      ))}
      {days.length > 0 && (
        <>
          <text
            className={classes.axisLabel}
            x={PAD.left}
            y={HEIGHT - 4}
            textAnchor="start"
          >
            {days[0].day}
          </text>
          <text
            className={classes.axisLabel}
            x={WIDTH - PAD.right}
            y={HEIGHT - 4}
            textAnchor="end"
          >
            {days[days.length - 1].day}
          </text>
        </>
      )}
      {segments.map(segment => (
        <polyline
          key={segment[0].index}
          className={classes.line}
          data-testid="quality-trend-segment"
          points={segment.map(p => `${x(p.index)},${y(p.score)}`).join(' ')}
        />
      ))}
      {days.map((day, i) =>
        day.score === null ? (
          <rect
            key={day.day}
            className={classes.gap}
            x={x(i) - 1.5}
            y={PAD.top + innerH - 3}
            width={3}
            height={3}
          >
            <title>{`${day.day}: no results`}</title>
          </rect>
        ) : (
          <circle
            key={day.day}
            className={classes.point}
            cx={x(i)}
            cy={y(day.score)}
            r={days.length > 45 ? 1.5 : 2.5}
          >
            <title>{`${day.day}: ${formatScore(day.score)} (${
              day.pass
            } passed, ${day.warn} warned, ${day.fail} failed, ${
              day.error
            } errors)`}</title>
          </circle>
        ),
      )}
    </svg>
  );
};

/**
 * A rule's recent results at a glance: one bar per result, oldest left, coloured by outcome, a
 * failure taller than a pass. Each bar names its time, outcome and value on hover.
 */
export const Sparkline = (props: {
  /** Newest first, as the API answers. */
  results: QualityResult[];
  label: string;
}) => {
  const results = [...props.results].reverse();
  if (results.length === 0) {
    return (
      <Typography variant="caption" color="textSecondary">
        no history
      </Typography>
    );
  }
  const bar = 4;
  const gap = 2;
  const height = 18;
  const width = results.length * (bar + gap);
  const counts = results.reduce<Record<string, number>>((acc, r) => {
    acc[r.outcome] = (acc[r.outcome] ?? 0) + 1;
    return acc;
  }, {});
  const summary = `${props.label}: last ${results.length} results, ${
    counts.pass ?? 0
  } passed, ${counts.warn ?? 0} warned, ${counts.fail ?? 0} failed, ${
    counts.error ?? 0
  } errors`;
  return (
    <svg
      role="img"
      aria-label={summary}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      {results.map((result, i) => {
        const h = result.outcome === 'pass' ? height * 0.45 : height;
        return (
          <rect
            key={result.id}
            x={i * (bar + gap)}
            y={height - h}
            width={bar}
            height={h}
            fill={OUTCOME_COLORS[result.outcome].background}
          >
            <title>{`${formatAbsoluteTime(result.observedAt)}: ${
              OUTCOME_LABELS[result.outcome]
            } (${formatObserved(result.observedValue)})`}</title>
          </rect>
        );
      })}
    </svg>
  );
};

function scoreColor(score: number): string {
  if (score >= 90) return OUTCOME_COLORS.pass.background;
  if (score >= 70) return OUTCOME_COLORS.warn.background;
  return OUTCOME_COLORS.fail.background;
}

/**
 * The score of each dimension as a bar, with how many of its rules reported and failed. A
 * dimension none of whose rules has reported shows as "no results", not as 0 or 100.
 */
export const DimensionBars = (props: {
  dimensions: QualityDimensionScore[];
}) => {
  const classes = useStyles();
  return (
    <Box className={classes.bars} role="list" aria-label="Dimensions">
      {props.dimensions.map(d => (
        <Box
          key={d.dimension}
          display="contents"
          role="listitem"
          aria-label={d.dimension}
        >
          <Typography variant="body2" style={{ textTransform: 'capitalize' }}>
            {d.dimension}
          </Typography>
          {/* A meter needs a value (aria-valuenow): a dimension without results is an image
              named so, not a meter without one (axe: aria-required-attr, critical). */}
          <Box
            className={classes.track}
            {...(d.score === null
              ? {
                  role: 'img',
                  'aria-label': `${d.dimension} score: no results`,
                }
              : {
                  role: 'meter',
                  'aria-label': `${d.dimension} score`,
                  'aria-valuemin': 0,
                  'aria-valuemax': 100,
                  'aria-valuenow': d.score,
                  'aria-valuetext': formatScore(d.score),
                })}
          >
            {d.score !== null && (
              <Box
                height="100%"
                width={`${Math.max(0, Math.min(100, d.score))}%`}
                style={{ background: scoreColor(d.score) }}
              />
            )}
          </Box>
          <Typography variant="body2" color="textSecondary">
            {d.score === null ? 'no results' : formatScore(d.score)} ·{' '}
            {d.rulesWithResults}/{d.rules} reported
            {d.failing > 0 ? ` · ${d.failing} failing` : ''}
          </Typography>
        </Box>
      ))}
    </Box>
  );
};
