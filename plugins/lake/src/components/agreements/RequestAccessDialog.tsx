import { useMemo, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ActionDialog,
  ClassificationChip,
  TenantPicker,
} from '@akili/plugin-akili-react';
import type { OutputPort } from '@akili/plugin-akili-common';
import type { AccessAgreement } from '@akili/plugin-lake-common';
import {
  Box,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { lakeApiRef } from '../../api';
import {
  dateInDays,
  DEFAULT_AGREEMENT_DAYS,
  isClassifiedColumn,
  MAX_AGREEMENT_DAYS,
  RequestDraft,
  requestFromDraft,
  validateRequest,
} from './lib';

/** The props of {@link RequestAccessDialog}. */
export interface RequestAccessDialogProps {
  /** The provider product: `dataproduct:<tenant>/<name>`. */
  product: string;
  /** Its tenant. */
  providerTenant: string;
  /** Its output ports, with their schemas. */
  ports: OutputPort[];
  /** The tenants the caller may request for (never the provider's). */
  consumerTenants: string[];
  initialPort?: string;
  initialConsumerTenant?: string;
  /** The consumer product that will read the port, e.g. from an input port. */
  initialConsumerProduct?: string;
  onClose: () => void;
  /** The request as the backend stored it (pending). */
  onRequested: (agreement: AccessAgreement) => void;
  /** For tests: the current time. */
  now?: Date;
}

/**
 * The form of a request for access to another tenant's output port: port, consumer tenant,
 * optional consumer product, purpose, columns (classified ones flagged) and until when (90 days
 * by default, at most a year). It says what to fix before it sends anything.
 */
export const RequestAccessDialog = (props: RequestAccessDialogProps) => {
  const { product, providerTenant, ports, consumerTenants } = props;
  const api = useApi(lakeApiRef);
  const now = useMemo(() => props.now ?? new Date(), [props.now]);
  const [draft, setDraft] = useState<RequestDraft>(() => ({
    port: props.initialPort ?? (ports.length === 1 ? ports[0].name : ''),
    consumerTenant:
      props.initialConsumerTenant ??
      (consumerTenants.length === 1 ? consumerTenants[0] : ''),
    consumerProduct: props.initialConsumerProduct ?? '',
    purpose: '',
    columns: [],
    until: dateInDays(now, DEFAULT_AGREEMENT_DAYS),
  }));
  const [touched, setTouched] = useState<Set<keyof RequestDraft>>(new Set());

  const problems = validateRequest(draft, {
    now,
    providerTenant,
    ports: ports.map(p => p.name),
  });
  const valid = Object.keys(problems).length === 0;
  const change = <K extends keyof RequestDraft>(
    key: K,
    value: RequestDraft[K],
  ) => {
    setDraft(d => ({ ...d, [key]: value }));
    setTouched(t => new Set(t).add(key));
  };
  const problem = (key: keyof RequestDraft) =>
    touched.has(key) ? problems[key] : undefined;

  // What keeps the request from being sent in fields not yet filled in.
  const untouched = (Object.keys(problems) as Array<keyof RequestDraft>)
    .filter(key => !touched.has(key))
    .map(key => problems[key]);

  const port = ports.find(p => p.name === draft.port);
  const schema = port?.schema ?? [];

  return (
    <ActionDialog
      title={`Request access to ${product.replace(/^dataproduct:/, '')}`}
      submitLabel="Send request"
      canSubmit={valid}
      onClose={props.onClose}
      onSubmit={async () => {
        const agreement = await api.requestAgreement(
          requestFromDraft(draft, product),
        );
        props.onRequested(agreement);
      }}
    >
      <Typography variant="body2" paragraph>
        {providerTenant}'s developers and operators decide on the request. Until
        they approve it, your tenant cannot read the port.
      </Typography>
      <FormControl fullWidth margin="normal" error={!!problem('port')}>
        <InputLabel id="lake-request-port-label">Output port</InputLabel>
        <Select
          labelId="lake-request-port-label"
          id="lake-request-port"
          value={draft.port}
          onChange={e => {
            change('port', String(e.target.value));
            setDraft(d => ({ ...d, columns: [] }));
          }}
        >
          {ports.map(p => (
            <MenuItem key={p.name} value={p.name}>
              {p.title ? `${p.title} (${p.name})` : p.name}
            </MenuItem>
          ))}
        </Select>
        {problem('port') && <FormHelperText>{problem('port')}</FormHelperText>}
      </FormControl>
      <TenantPicker
        id="lake-request-tenant"
        label="Consumer tenant"
        tenants={consumerTenants}
        value={draft.consumerTenant}
        onChange={tenant => change('consumerTenant', tenant)}
        fullWidth
        margin="normal"
        required
        error={!!problem('consumerTenant')}
        helperText={
          problem('consumerTenant') ?? 'The tenant whose members will read it.'
        }
      />
      <TextField
        id="lake-request-product"
        label="Consumer product (optional)"
        value={draft.consumerProduct}
        onChange={e => change('consumerProduct', e.target.value)}
        fullWidth
        margin="normal"
        error={!!problem('consumerProduct')}
        helperText={
          problem('consumerProduct') ??
          'The product of your tenant that reads the port, e.g. shipments.'
        }
      />
      <TextField
        id="lake-request-purpose"
        label="Purpose"
        value={draft.purpose}
        onChange={e => change('purpose', e.target.value)}
        fullWidth
        multiline
        minRows={2}
        margin="normal"
        required
        error={!!problem('purpose')}
        helperText={problem('purpose') ?? 'What the data is for.'}
      />
      <FormControl
        component="fieldset"
        margin="normal"
        fullWidth
        error={!!problem('columns')}
      >
        <FormLabel component="legend">Columns</FormLabel>
        {schema.length === 0 ? (
          <FormHelperText>
            {port
              ? 'The port declares no columns.'
              : 'Choose a port to see its columns.'}
          </FormHelperText>
        ) : (
          <>
            <Box>
              <Button
                size="small"
                onClick={() =>
                  change(
                    'columns',
                    schema.filter(c => !isClassifiedColumn(c)).map(c => c.name),
                  )
                }
              >
                All unclassified
              </Button>
              <Button
                size="small"
                onClick={() =>
                  change(
                    'columns',
                    schema.map(c => c.name),
                  )
                }
              >
                All
              </Button>
            </Box>
            <FormGroup>
              {schema.map(column => (
                <Box key={column.name} display="flex" alignItems="center">
                  <FormControlLabel
                    control={
                      <Checkbox
                        size="small"
                        checked={draft.columns.includes(column.name)}
                        onChange={(_e, checked) =>
                          change(
                            'columns',
                            checked
                              ? schema
                                  .map(c => c.name)
                                  .filter(
                                    n =>
                                      n === column.name ||
                                      draft.columns.includes(n),
                                  )
                              : draft.columns.filter(n => n !== column.name),
                          )
                        }
                      />
                    }
                    label={column.name}
                  />
                  {isClassifiedColumn(column) && (
                    <ClassificationChip
                      classification={column.classification}
                    />
                  )}
                </Box>
              ))}
            </FormGroup>
          </>
        )}
        {problem('columns') && (
          <FormHelperText>{problem('columns')}</FormHelperText>
        )}
        {schema.some(
          c => isClassifiedColumn(c) && draft.columns.includes(c.name),
        ) && (
          <FormHelperText error={false}>
            You ask for classified columns: say in the purpose why you need
            them.
          </FormHelperText>
        )}
      </FormControl>
      <TextField
        id="lake-request-until"
        label="Until"
        type="date"
        value={draft.until}
        onChange={e => change('until', e.target.value)}
        margin="normal"
        required
        InputLabelProps={{ shrink: true }}
        inputProps={{
          min: dateInDays(now, 1),
          max: dateInDays(now, MAX_AGREEMENT_DAYS),
        }}
        error={!!problem('until')}
        helperText={problem('until') ?? 'At most a year ahead.'}
      />
      {touched.size > 0 && untouched.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Still to do: {untouched.join(' ')}
        </Typography>
      )}
    </ActionDialog>
  );
};
