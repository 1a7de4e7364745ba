import { Box, Chip, Typography } from '@material-ui/core';
import type { Tenant } from '@akili/plugin-akili-common';

const COLORS = {
  active: { background: '#d7f0dd', color: '#1b5e20' },
  suspended: { background: '#fde0dc', color: '#8e1b10' },
} as const;

/** A tenant's status as a chip, with the reason of a suspension underneath. */
export const TenantStatus = (props: {
  tenant: Pick<Tenant, 'status' | 'suspendedReason'>;
}) => {
  const { status, suspendedReason } = props.tenant;
  const colors = COLORS[status] ?? COLORS.active;
  return (
    <Box>
      <Chip
        size="small"
        label={status === 'suspended' ? 'Suspended' : 'Active'}
        style={{ backgroundColor: colors.background, color: colors.color }}
      />
      {status === 'suspended' && suspendedReason && (
        <Typography variant="caption" component="div" color="textSecondary">
          Reason: {suspendedReason}
        </Typography>
      )}
    </Box>
  );
};
