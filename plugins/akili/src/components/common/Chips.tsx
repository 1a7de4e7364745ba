import { Chip } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';
import {
  ChipColors,
  classificationColors,
  classificationLabel,
  severityColors,
} from '../../lib/classification';

const ColoredChip = (props: {
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

/** A column's classification, coloured by sensitivity. */
export const ClassificationChip = (props: { classification?: string }) => (
  <ColoredChip
    label={classificationLabel(props.classification)}
    colors={classificationColors(props.classification)}
    title={`Classification: ${props.classification ?? 'internal'}`}
  />
);

/** Marks a product or port that holds personal data. */
export const PiiBadge = () => (
  <ColoredChip
    label="PII"
    colors={classificationColors('pii')}
    title="Holds personal data (pii or sensitive-pii columns)"
  />
);

/** A quality rule's severity. */
export const SeverityChip = (props: { severity: string }) => (
  <ColoredChip label={props.severity} colors={severityColors(props.severity)} />
);

/** An upstream product the catalog does not know (yet). */
export const UnresolvedChip = (props: { entityRef: string }) => (
  <Chip
    size="small"
    variant="outlined"
    icon={<WarningIcon style={{ color: '#b45309' }} />}
    label="unresolved"
    title={`${props.entityRef} is not in the catalog`}
    style={{ borderColor: '#f59e0b', color: '#b45309' }}
  />
);
