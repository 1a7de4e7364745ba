import { ChipColors, ColoredChip } from '@akili/plugin-akili-react';
import type { AccessAgreementStatus } from '@akili/plugin-lake-common';

const STATUS: Record<
  AccessAgreementStatus,
  { label: string; colors: ChipColors; title: string }
> = {
  requested: {
    label: 'Pending',
    colors: { background: '#1565c0', color: '#ffffff' },
    title: 'Requested: waiting for the provider to decide',
  },
  approved: {
    label: 'Approved',
    colors: { background: '#2e7d32', color: '#ffffff' },
    title: 'Approved: in force until its end date',
  },
  rejected: {
    label: 'Rejected',
    colors: { background: '#c62828', color: '#ffffff' },
    title: 'Rejected by the provider',
  },
  withdrawn: {
    label: 'Withdrawn',
    colors: { background: '#616161', color: '#ffffff' },
    title: 'Withdrawn by the consumer before a decision',
  },
  revoked: {
    label: 'Revoked',
    colors: { background: '#6d4c41', color: '#ffffff' },
    title: 'Revoked: ended before its end date',
  },
  expired: {
    label: 'Expired',
    colors: { background: '#757575', color: '#ffffff' },
    title: 'Expired: its end date has passed',
  },
};

/** The label of a status as the views show it ("Pending" for `requested`). */
export function agreementStatusLabel(status: AccessAgreementStatus): string {
  return STATUS[status]?.label ?? status;
}

/** An agreement's status as a coloured chip. */
export const AgreementStatusChip = (props: {
  status: AccessAgreementStatus;
}) => {
  const known = STATUS[props.status];
  return (
    <ColoredChip
      label={known?.label ?? props.status}
      colors={known?.colors ?? { background: '#616161', color: '#ffffff' }}
      title={known?.title}
    />
  );
};
