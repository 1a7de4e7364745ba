import { Chip, useTheme } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';
import { ColoredChip } from '@akili/plugin-akili-react';
import { classificationColors } from '../../lib/classification';

export { ClassificationChip, SeverityChip } from '@akili/plugin-akili-react';

/** Marks a product or port that holds personal data. */
export const PiiBadge = () => (
  <ColoredChip
    label="PII"
    colors={classificationColors('pii')}
    title="Holds personal data (pii or sensitive-pii columns)"
  />
);

/** An upstream product the catalog does not know (yet). */
export const UnresolvedChip = (props: { entityRef: string }) => {
  // Amber text that keeps its contrast on the light and the dark background.
  const color = useTheme().palette.type === 'dark' ? '#fbbf24' : '#b45309';
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={<WarningIcon style={{ color }} />}
      label="unresolved"
      title={`${props.entityRef} is not in the catalog`}
      style={{ borderColor: '#f59e0b', color }}
    />
  );
};
