import { Chip } from '@material-ui/core';
import type { Classification, QualityRule } from '@akili/plugin-akili-common';

/**
 * Colours of a chip: background and text.
 *
 * @public
 */
export interface ChipColors {
  background: string;
  color: string;
}

const CLASSIFICATION_COLORS: Record<Classification, ChipColors> = {
  'sensitive-pii': { background: '#c62828', color: '#ffffff' },
  pii: { background: '#f59e0b', color: '#1f1300' },
  confidential: { background: '#c2410c', color: '#ffffff' },
  internal: { background: '#616161', color: '#ffffff' },
  public: { background: '#2e7d32', color: '#ffffff' },
};

const CLASSIFICATION_LABELS: Record<Classification, string> = {
  'sensitive-pii': 'Sensitive PII',
  pii: 'PII',
  confidential: 'Confidential',
  internal: 'Internal',
  public: 'Public',
};

/**
 * Classifications from most to least sensitive.
 *
 * @public
 */
export const CLASSIFICATIONS: Classification[] = [
  'sensitive-pii',
  'pii',
  'confidential',
  'internal',
  'public',
];

/** A column without a classification in its manifest is `internal`. */
const DEFAULT_CLASSIFICATION: Classification = 'internal';

function known(level: string | undefined): Classification {
  return (CLASSIFICATIONS as string[]).includes(level ?? '')
    ? (level as Classification)
    : DEFAULT_CLASSIFICATION;
}

/**
 * Chip colours per classification: sensitive PII red, PII amber, confidential orange,
 * internal grey, public green. An absent or unknown level reads as `internal`.
 *
 * @public
 */
export function classificationColors(level: string | undefined): ChipColors {
  return CLASSIFICATION_COLORS[known(level)];
}

/**
 * A classification as a label: `sensitive-pii` is "Sensitive PII".
 *
 * @public
 */
export function classificationLabel(level: string | undefined): string {
  return CLASSIFICATION_LABELS[known(level)];
}

const SEVERITY_COLORS: Record<QualityRule['severity'], ChipColors> = {
  error: { background: '#c62828', color: '#ffffff' },
  warning: { background: '#f59e0b', color: '#1f1300' },
  info: { background: '#1565c0', color: '#ffffff' },
};

/**
 * Chip colours per rule severity: error red, warning amber, info blue.
 *
 * @public
 */
export function severityColors(severity: string | undefined): ChipColors {
  return (
    SEVERITY_COLORS[severity as QualityRule['severity']] ?? SEVERITY_COLORS.info
  );
}

/** A small chip in the given colours (classification, severity, PII badges). */
export const ColoredChip = (props: {
  label: string;
  colors: ChipColors;
  title?: string;
}) => (
  <Chip
    size="small"
    label={props.label}
    title={props.title}
    style={{
      backgroundColor: props.colors.background,
      color: props.colors.color,
    }}
  />
);

/**
 * A column's classification, coloured by sensitivity.
 *
 * @public
 */
export const ClassificationChip = (props: { classification?: string }) => (
  <ColoredChip
    label={classificationLabel(props.classification)}
    colors={classificationColors(props.classification)}
    title={`Classification: ${props.classification ?? 'internal'}`}
  />
);

/**
 * A quality rule's severity.
 *
 * @public
 */
export const SeverityChip = (props: { severity: string }) => (
  <ColoredChip label={props.severity} colors={severityColors(props.severity)} />
);
