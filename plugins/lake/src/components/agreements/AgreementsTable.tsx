import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  EntityDisplayName,
  EntityRefLink,
} from '@backstage/plugin-catalog-react';
import { formatAbsoluteTime, Timestamp } from '@akili/plugin-akili-react';
import type { AccessAgreement } from '@akili/plugin-lake-common';
import { AgreementActions } from './AgreementActions';
import { AgreementStatusChip } from './AgreementStatusChip';
import { columnsLabel } from './lib';

/**
 * A user as people know them: the catalog's display name (user ids such as "u-…" otherwise),
 * with the reference on hover.
 */
const Person = (props: { userRef: string }) => (
  <EntityDisplayName entityRef={props.userRef} defaultKind="user" hideIcon />
);

/** A time as the Akili pages show it: relative, absolute on hover. */
const When = (props: { iso?: string }) => (
  <Timestamp value={props.iso} format="relative" />
);

/**
 * The day an agreement ends, as it was chosen (agreements end at the start of a day, UTC), with
 * the exact time in the reader's zone on hover.
 */
const Until = (props: { iso: string }) => (
  <time dateTime={props.iso} title={formatAbsoluteTime(props.iso)}>
    {props.iso.slice(0, 10)}
  </time>
);

/** The props of {@link AgreementsTable}. */
export interface AgreementsTableProps {
  /** The table's accessible name. */
  label: string;
  agreements: AccessAgreement[];
  /** Show the provider product and port (the page lists many products). */
  showProduct?: boolean;
  /** Whether the caller decides for `tenant` (provider side). */
  canDecide: (tenant: string) => boolean;
  /** Whether the caller acts for `tenant` (consumer side). */
  canActAsConsumer: (tenant: string) => boolean;
  onChanged: (agreement: AccessAgreement) => void;
}

/**
 * Agreements as a table: status, (product and port,) consumer, columns, until, who asked and
 * who decided, and the actions the caller may take.
 */
export const AgreementsTable = (props: AgreementsTableProps) => {
  const { agreements, showProduct } = props;
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            <TableCell>Status</TableCell>
            {showProduct && <TableCell>Product and port</TableCell>}
            <TableCell>Consumer</TableCell>
            <TableCell>Purpose</TableCell>
            <TableCell>Columns</TableCell>
            <TableCell>Until</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>Decided by</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {agreements.map(agreement => (
            <TableRow key={agreement.id} hover>
              <TableCell>
                <AgreementStatusChip status={agreement.status} />
              </TableCell>
              {showProduct && (
                <TableCell>
                  <EntityRefLink
                    entityRef={agreement.provider.product}
                    defaultKind="dataproduct"
                    hideIcon
                  />
                  <Typography variant="caption" component="div">
                    port {agreement.provider.port}
                  </Typography>
                </TableCell>
              )}
              <TableCell>
                {agreement.consumer.tenant}
                {agreement.consumer.product && (
                  <Typography variant="caption" component="div">
                    for{' '}
                    <EntityRefLink
                      entityRef={agreement.consumer.product}
                      defaultKind="dataproduct"
                      hideIcon
                    />
                  </Typography>
                )}
              </TableCell>
              <TableCell>{agreement.purpose}</TableCell>
              <TableCell>{columnsLabel(agreement.columns)}</TableCell>
              <TableCell>
                <Until iso={agreement.until} />
              </TableCell>
              <TableCell>
                <Person userRef={agreement.requestedBy} />
                <Typography variant="caption" component="div">
                  <When iso={agreement.requestedAt} />
                </Typography>
              </TableCell>
              <TableCell>
                {agreement.decidedBy ? (
                  <>
                    <Person userRef={agreement.decidedBy} />
                    <Typography variant="caption" component="div">
                      <When iso={agreement.decidedAt} />
                    </Typography>
                  </>
                ) : (
                  '—'
                )}
                {agreement.decisionNote && (
                  <Typography variant="caption" component="div">
                    “{agreement.decisionNote}”
                  </Typography>
                )}
                {agreement.endReason && (
                  <Typography variant="caption" component="div">
                    Ended
                    {agreement.endedBy && (
                      <>
                        {' by '}
                        <Person userRef={agreement.endedBy} />
                      </>
                    )}
                    : “{agreement.endReason}”
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <AgreementActions
                  agreement={agreement}
                  canDecide={props.canDecide(agreement.provider.tenant)}
                  canActAsConsumer={props.canActAsConsumer(
                    agreement.consumer.tenant,
                  )}
                  onChanged={props.onChanged}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
