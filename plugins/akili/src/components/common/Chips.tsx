import { Chip } from '@material-ui/core';
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
