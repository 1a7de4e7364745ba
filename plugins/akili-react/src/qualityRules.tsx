import { makeStyles } from '@material-ui/core';
import type { QualityOperator, QualityRule } from '@akili/plugin-akili-common';

/**
 * A rule's operator and threshold: `<= 0.01`, `between 100 and 5000`; empty for a rule without
 * them (checked elsewhere, see {@link ruleExpectation}).
 *
 * @public
 */
export function formatThreshold(
  operator: QualityOperator | undefined,
  threshold: number | [number, number] | undefined,
): string {
  // Rules checked elsewhere (with an engine) may carry no operator of Akili's.
  if (operator === undefined || threshold === undefined) {
    return '';
  }
  if (Array.isArray(threshold)) {
    const [low, high] = threshold;
    return operator === 'between'
      ? `between ${low} and ${high}`
      : `${operator} [${low}, ${high}]`;
  }
  return `${operator} ${threshold}`;
}

/**
 * What a rule expects, in a few words: its operator and threshold (`<= 0.01`), or for a rule
 * another engine checks (an imported ODCS rule of Soda, Great Expectations, Monte Carlo, dbt...)
 * `checked elsewhere (soda)`, followed by its threshold when it has one of Akili's.
 *
 * @public
 */
export function ruleExpectation(
  rule: Pick<QualityRule, 'operator' | 'threshold' | 'engine'>,
): string {
  const threshold = formatThreshold(rule.operator, rule.threshold);
  if (rule.engine === undefined) {
    return threshold;
  }
  const elsewhere = `checked elsewhere (${rule.engine})`;
  return threshold ? `${elsewhere}: ${threshold}` : elsewhere;
}

/** An implementation as its engine wrote it; JSON (as imports keep non-text ones) indented. */
function readableImplementation(implementation: string): string {
  try {
    const parsed = JSON.parse(implementation);
    return typeof parsed === 'object' && parsed !== null
      ? JSON.stringify(parsed, null, 2)
      : implementation;
  } catch {
    return implementation;
  }
}

const useStyles = makeStyles(theme => ({
  summary: {
    cursor: 'pointer',
  },
  implementation: {
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(1),
    maxHeight: 240,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontSize: theme.typography.caption.fontSize,
    backgroundColor: theme.palette.background.default,
  },
}));

/**
 * A rule's expectation as {@link ruleExpectation} words it; a rule checked elsewhere opens to
 * show its implementation as its engine reads it. Akili does not run such rules: their results
 * arrive through the quality API.
 *
 * @public
 */
export const RuleExpectation = (props: {
  rule: Pick<
    QualityRule,
    'name' | 'operator' | 'threshold' | 'engine' | 'implementation'
  >;
}) => {
  const { rule } = props;
  const classes = useStyles();
  const text = ruleExpectation(rule);
  if (rule.engine === undefined) {
    return <code>{text}</code>;
  }
  const title = `Checked by ${rule.engine}, not by Akili; its results arrive through the quality API`;
  if (!rule.implementation) {
    return <code title={title}>{text}</code>;
  }
  return (
    <details>
      <summary className={classes.summary} title={title}>
        <code>{text}</code>
      </summary>
      <pre
        className={classes.implementation}
        aria-label={`Implementation of ${rule.name} for ${rule.engine}`}
      >
        {readableImplementation(rule.implementation)}
      </pre>
    </details>
  );
};
