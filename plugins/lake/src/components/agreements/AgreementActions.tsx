import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { ActionDialog } from '@akili/plugin-akili-react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import type { AccessAgreement } from '@akili/plugin-lake-common';
import { lakeApiRef } from '../../api';
import { ApproveDialog } from './ApproveDialog';

type Action = 'approve' | 'reject' | 'revoke' | 'withdraw' | 'giveUp';

/** The props of {@link AgreementActions}. */
export interface AgreementActionsProps {
  agreement: AccessAgreement;
  /** The caller decides for the provider tenant (its developers, operators). */
  canDecide: boolean;
  /** The caller acts for the consumer tenant (withdraw a request, give up access). */
  canActAsConsumer: boolean;
  /** Called with the agreement as the backend answered after an action. */
  onChanged: (agreement: AccessAgreement) => void;
}

function describe(agreement: AccessAgreement): string {
  return `${agreement.consumer.tenant}'s access to ${agreement.provider.product} (port ${agreement.provider.port})`;
}

/**
 * The buttons for what the caller may do with an agreement, each confirmed in a dialog: the
 * provider approves (columns to grant, note optional; see {@link ApproveDialog}) or rejects (note required) a request and revokes an
 * approved agreement (reason required); the consumer withdraws its request or gives up access.
 */
export const AgreementActions = (props: AgreementActionsProps) => {
  const { agreement, canDecide, canActAsConsumer, onChanged } = props;
  const api = useApi(lakeApiRef);
  const [action, setAction] = useState<Action>();
  const [text, setText] = useState('');

  const open = (next: Action) => {
    setText('');
    setAction(next);
  };

  const buttons: JSX.Element[] = [];
  const id = agreement.id;
  if (agreement.status === 'requested' && canDecide) {
    buttons.push(
      <Button
        key="approve"
        size="small"
        color="primary"
        variant="outlined"
        onClick={() => open('approve')}
        aria-label={`Approve request ${id}`}
      >
        Approve
      </Button>,
      <Button
        key="reject"
        size="small"
        onClick={() => open('reject')}
        aria-label={`Reject request ${id}`}
      >
        Reject
      </Button>,
    );
  }
  if (agreement.status === 'approved' && canDecide) {
    buttons.push(
      <Button
        key="revoke"
        size="small"
        onClick={() => open('revoke')}
        aria-label={`Revoke agreement ${id}`}
      >
        Revoke
      </Button>,
    );
  }
  if (agreement.status === 'requested' && canActAsConsumer && !canDecide) {
    buttons.push(
      <Button
        key="withdraw"
        size="small"
        onClick={() => open('withdraw')}
        aria-label={`Withdraw request ${id}`}
      >
        Withdraw
      </Button>,
    );
  }
  if (agreement.status === 'approved' && canActAsConsumer && !canDecide) {
    buttons.push(
      <Button
        key="giveUp"
        size="small"
        onClick={() => open('giveUp')}
        aria-label={`Give up agreement ${id}`}
      >
        Give up
      </Button>,
    );
  }
  if (buttons.length === 0) {
    return null;
  }

  const done = (answer: AccessAgreement) => onChanged(answer);
  const what = describe(agreement);
  const textField = (label: string, required: boolean, helper: string) => (
    <TextField
      id={`lake-agreement-${action}-text`}
      label={label}
      value={text}
      onChange={e => setText(e.target.value)}
      required={required}
      fullWidth
      multiline
      minRows={2}
      margin="normal"
      helperText={helper}
    />
  );

  let dialog: JSX.Element | null = null;
  switch (action) {
    case 'approve':
      dialog = (
        <ApproveDialog
          agreement={agreement}
          what={what}
          onClose={() => setAction(undefined)}
          onApproved={done}
        />
      );
      break;
    case 'reject':
      dialog = (
        <ActionDialog
          title="Reject the request"
          submitLabel="Reject"
          destructive
          canSubmit={text.trim().length > 0}
          onClose={() => setAction(undefined)}
          onSubmit={async () =>
            done(await api.rejectAgreement(id, text.trim()))
          }
        >
          <Typography variant="body2" paragraph>
            Reject the request for {what}.
          </Typography>
          {textField(
            'Why',
            true,
            'Required: the consumer reads it to know what to change.',
          )}
        </ActionDialog>
      );
      break;
    case 'revoke':
    case 'giveUp':
      dialog = (
        <ActionDialog
          title={action === 'revoke' ? 'Revoke access' : 'Give up access'}
          submitLabel={action === 'revoke' ? 'Revoke' : 'Give up'}
          destructive
          canSubmit={text.trim().length > 0}
          onClose={() => setAction(undefined)}
          onSubmit={async () =>
            done(await api.revokeAgreement(id, text.trim()))
          }
        >
          <Typography variant="body2" paragraph>
            End {what} now. Queries and file reads of the consumer tenant stop
            working for this port; this cannot be undone (a new request is
            needed).
          </Typography>
          {textField('Reason', true, 'Required: kept with the agreement.')}
        </ActionDialog>
      );
      break;
    case 'withdraw':
      dialog = (
        <ActionDialog
          title="Withdraw the request"
          submitLabel="Withdraw"
          destructive
          canSubmit
          onClose={() => setAction(undefined)}
          onSubmit={async () => done(await api.withdrawAgreement(id))}
        >
          <Typography variant="body2">
            Withdraw the request for {what}? The provider will no longer see it
            as pending.
          </Typography>
        </ActionDialog>
      );
      break;
    default:
      break;
  }

  return (
    <Box display="flex" style={{ gap: 8 }} flexWrap="wrap">
      {buttons}
      {dialog}
    </Box>
  );
};
