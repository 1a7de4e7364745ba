import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { ActionDialog, ClassificationChip } from '@akili/plugin-akili-react';
import type { DataProductColumn } from '@akili/plugin-akili-common';
import type { AccessAgreement } from '@akili/plugin-lake-common';
import {
  Box,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  LinearProgress,
  TextField,
  Typography,
} from '@material-ui/core';
import { lakeApiRef } from '../../api';
import { isClassifiedColumn, outputPortsOf, parseProductRef } from './lib';

/** The columns of the agreement's port as the provider's manifest declares them. */
function usePortSchema(agreement: AccessAgreement) {
  const catalogApi = useApi(catalogApiRef);
  const { product, port } = agreement.provider;
  return useAsync(async (): Promise<DataProductColumn[] | undefined> => {
    const ref = parseProductRef(product);
    if (!ref) return undefined;
    const entity = await catalogApi.getEntityByRef({
      kind: 'dataproduct',
      ...ref,
    });
    return entity
      ? outputPortsOf(entity).find(p => p.name === port)?.schema
      : undefined;
  }, [catalogApi, product, port]);
}

/** What to send as `columns`: only when the provider narrowed or picked them. */
export function approvedColumns(
  requested: string[],
  checked: string[],
): string[] | undefined {
  if (requested.length === 0) return checked;
  const kept = requested.filter(c => checked.includes(c));
  return kept.length < requested.length ? kept : undefined;
}

/** The props of {@link ApproveDialog}. */
export interface ApproveDialogProps {
  agreement: AccessAgreement;
  /** Says whose access to what, for the dialog's text. */
  what: string;
  onClose: () => void;
  onApproved: (agreement: AccessAgreement) => void;
}

/**
 * The provider approves a request: the columns to grant as checkboxes, limited to the
 * requested columns (all checked; unchecking narrows the agreement), or every column of the
 * port's schema when the request asked for all of them (then at least one must be picked),
 * and an optional note.
 */
export const ApproveDialog = (props: ApproveDialogProps) => {
  const { agreement, what } = props;
  const api = useApi(lakeApiRef);
  const schema = usePortSchema(agreement);
  const requested = agreement.columns;
  const askedAll = requested.length === 0;
  const [checked, setChecked] = useState<string[]>(requested);
  const [note, setNote] = useState('');

  const known = new Map((schema.value ?? []).map(c => [c.name, c]));
  const choices = askedAll ? (schema.value ?? []).map(c => c.name) : requested;
  const canSubmit = checked.length > 0;

  return (
    <ActionDialog
      title="Approve access"
      submitLabel="Approve"
      canSubmit={canSubmit}
      onClose={props.onClose}
      onSubmit={async () =>
        props.onApproved(
          await api.approveAgreement(
            agreement.id,
            note.trim() || undefined,
            approvedColumns(requested, checked),
          ),
        )
      }
    >
      <Typography variant="body2" paragraph>
        Approve {what}, until {agreement.until.slice(0, 10)}, for: “
        {agreement.purpose}”.{' '}
        {askedAll
          ? 'The request asks for all columns of the port: check those you grant (at least one).'
          : `The request asks for the columns ${requested.join(
              ', ',
            )}: uncheck those you do not grant.`}{' '}
        The consumer tenant can read them as soon as you approve.
      </Typography>
      <FormControl
        component="fieldset"
        margin="normal"
        fullWidth
        error={!canSubmit}
      >
        <FormLabel component="legend">Columns to grant</FormLabel>
        {schema.loading && askedAll && <LinearProgress />}
        {!schema.loading && askedAll && choices.length === 0 && (
          <FormHelperText>
            The port's columns could not be read from the catalog (
            {agreement.provider.product}, port {agreement.provider.port}), so
            none can be granted here. Reject the request, or fix the product's
            manifest.
          </FormHelperText>
        )}
        <FormGroup>
          {choices.map(name => {
            const column = known.get(name);
            return (
              <Box key={name} display="flex" alignItems="center">
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      checked={checked.includes(name)}
                      onChange={(_e, on) =>
                        setChecked(
                          on
                            ? choices.filter(
                                c => c === name || checked.includes(c),
                              )
                            : checked.filter(c => c !== name),
                        )
                      }
                    />
                  }
                  label={name}
                />
                {column && isClassifiedColumn(column) && (
                  <ClassificationChip classification={column.classification} />
                )}
              </Box>
            );
          })}
        </FormGroup>
        {choices.length > 0 && !canSubmit && (
          <FormHelperText>Grant at least one column.</FormHelperText>
        )}
      </FormControl>
      <TextField
        id="lake-agreement-approve-text"
        label="Note (optional)"
        value={note}
        onChange={e => setNote(e.target.value)}
        fullWidth
        multiline
        minRows={2}
        margin="normal"
        helperText="Shown to the consumer."
      />
    </ActionDialog>
  );
};
