import { Tooltip } from '@material-ui/core';
import LockIcon from '@material-ui/icons/Lock';

/** Marks a column the query API masks for the caller. */
export const MaskedMarker = () => (
  <Tooltip title="Masked for you: its values come back as NULL">
    <LockIcon
      fontSize="inherit"
      color="action"
      aria-label="masked"
      role="img"
    />
  </Tooltip>
);
