import { useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
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
  Radio,
  RadioGroup,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { lakeApiRef } from '../../api';
import {
  dateInDays,
  DEFAULT_AGREEMENT_DAYS,
  isClassifiedColumn,
  MAX_AGREEMENT_DAYS,
  outputPortsOf,
  parseProviderProduct,
  RequestDraft,
  requestFromDraft,
  validateRequest,
} from './lib';

/** The props of {@link RequestAccessDialog}. */
export interface RequestAccessDialogProps {
  /**
   * The provider product (`dataproduct:<tenant>/<name>` or `<tenant>/<name>`), fixed in the
   * form; absent: the requester types it.
   */
  product?: string;
  /**
   * The provider's output ports with their schemas, when the caller could read its entity.
   * Absent: the dialog tries the catalog for the product typed, and when the caller may not
   * read it (another tenant's product usually) the port is typed and the request asks for
   * all columns of the port, the provider choosing which to grant.
   */
  ports?: OutputPort[];
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
 * The provider's output ports as the caller can read them from the catalog: `undefined` while
 * unknown or when the caller may not read the product (the usual case for another tenant's).
 */
function useReadablePorts(
  given: OutputPort[] | undefined,
  productText: string,
): OutputPort[] | undefined {
  const catalogApi = useApi(catalogApiRef);
  const ref = parseProviderProduct(productText);
  const key = ref ? `${ref.namespace}/${ref.name}` : undefined;
  const [found, setFound] = useState<{ key: string; ports?: OutputPort[] }>();
  useEffect(() => {
    if (given || !key) return undefined;
    let current = true;
    const [namespace, name] = key.split('/');
    const timer = setTimeout(() => {
      catalogApi.getEntityByRef({ kind: 'dataproduct', namespace, name }).then(
        entity =>
          current &&
          setFound({ key, ports: entity ? outputPortsOf(entity) : undefined }),
        () => current && setFound({ key }),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [catalogApi, given, key]);
  if (given) return given;
  return found && found.key === key ? found.ports : undefined;
}

/**
 * The form of a request for access to another tenant's output port: product (typed when not
 * given), port, consumer tenant, optional consumer product, purpose, columns (picked from the
 * port's schema when the caller can read the product, classified ones flagged, or all columns
 * of the port, the provider choosing which to grant) and until when (90 days by default, at
 * most a year). It says what to fix before it sends anything.
 */
export const RequestAccessDialog = (props: RequestAccessDialogProps) => {
  const { consumerTenants } = props;
  const api = useApi(lakeApiRef);
  const now = useMemo(() => props.now ?? new Date(), [props.now]);
  const fixedProduct = props.product !== undefined;
  const [draft, setDraft] = useState<RequestDraft>(() => ({
    product: (props.product ?? '').replace(/^dataproduct:/i, ''),
    port:
      props.initialPort ??
      (props.ports?.length === 1 ? props.ports[0].name : ''),
    consumerTenant:
      props.initialConsumerTenant ??
      (consumerTenants.length === 1 ? consumerTenants[0] : ''),
    consumerProduct: props.initialConsumerProduct ?? '',
    purpose: '',
    allColumns: props.ports === undefined,
    columns: [],
    until: dateInDays(now, DEFAULT_AGREEMENT_DAYS),
  }));
  const [touched, setTouched] = useState<Set<keyof RequestDraft>>(new Set());
  const ports = useReadablePorts(props.ports, draft.product);
  const provider = parseProviderProduct(draft.product);

  const problems = validateRequest(draft, {
    now,
    ports: ports?.map(p => p.name),
  });
  const valid = Object.keys(problems).length === 0;
  const change = <K extends keyof RequestDraft>(
    key: K,
    value: RequestDraft[K],
  ) => {
    setDraft(d => ({ ...d, [key]: value }));
    setTouched(t => new Set(t).add(key));
  };
  const pick = (columns: string[]) => {
    setDraft(d => ({ ...d, columns, allColumns: false }));
    setTouched(t => new Set(t).add('columns'));
  };
  const problem = (key: keyof RequestDraft) =>
    touched.has(key) ? problems[key] : undefined;

  // What keeps the request from being sent in fields not yet filled in.
  const untouched = (Object.keys(problems) as Array<keyof RequestDraft>)
    .filter(key => !touched.has(key))
    .map(key => problems[key]);

  const port = ports?.find(p => p.name === draft.port);
  const schema = port?.schema ?? [];
  const providerName = provider
    ? `${provider.namespace}/${provider.name}`
    : undefined;

  return (
    <ActionDialog
      title={
        fixedProduct && providerName
          ? `Request access to ${providerName}`
          : "Request access to another tenant's data"
      }
      submitLabel="Send request"
      canSubmit={valid}
      onClose={props.onClose}
      onSubmit={async () => {
        const agreement = await api.requestAgreement(requestFromDraft(draft));
        props.onRequested(agreement);
      }}
    >
      <Typography variant="body2" paragraph>
        {provider ? `${provider.namespace}'s` : "The provider tenant's"}{' '}
        developers and operators decide on the request. Until they approve it,
        your tenant cannot read the port.
      </Typography>
      <TextField
        id="lake-request-provider-product"
        label="Product"
        value={draft.product}
        onChange={e => change('product', e.target.value)}
        fullWidth
        margin="normal"
        required
        InputProps={{ readOnly: fixedProduct }}
        error={!!problem('product')}
        helperText={
          problem('product') ??
          'The product to read, as <tenant>/<name>, e.g. acme/customer-360.'
        }
      />
      {ports ? (
        <FormControl fullWidth margin="normal" error={!!problem('port')}>
          <InputLabel id="lake-request-port-label">Output port</InputLabel>
          <Select
            labelId="lake-request-port-label"
            id="lake-request-port"
            value={ports.some(p => p.name === draft.port) ? draft.port : ''}
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
          {problem('port') && (
            <FormHelperText>{problem('port')}</FormHelperText>
          )}
        </FormControl>
      ) : (
        <TextField
          id="lake-request-port"
          label="Output port"
          value={draft.port}
          onChange={e => change('port', e.target.value)}
          fullWidth
          margin="normal"
          required
          error={!!problem('port')}
          helperText={
            problem('port') ??
            "The output port's name, as the product's manifest declares it (its tenant checks it)."
          }
        />
      )}
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
        <RadioGroup
          aria-label="Columns"
          value={draft.allColumns ? 'all' : 'pick'}
          onChange={e => {
            if (e.target.value === 'all') {
              setDraft(d => ({ ...d, allColumns: true, columns: [] }));
            } else {
              setDraft(d => ({ ...d, allColumns: false }));
            }
            setTouched(t => new Set(t).add('columns'));
          }}
        >
          <FormControlLabel
            value="all"
            control={<Radio size="small" />}
            label="All columns of the port — the provider chooses which to grant"
          />
          <FormControlLabel
            value="pick"
            control={<Radio size="small" />}
            label="Only the columns checked below"
            disabled={schema.length === 0}
          />
        </RadioGroup>
        {schema.length === 0 ? (
          <FormHelperText error={false}>
            {(() => {
              if (port) return 'The port declares no columns.';
              if (ports) return 'Choose a port to see its columns.';
              return 'You cannot read this product in the catalog, so its columns are not known here: the provider chooses which to grant.';
            })()}
          </FormHelperText>
        ) : (
          <>
            <Box>
              <Button
                size="small"
                onClick={() =>
                  pick(
                    schema.filter(c => !isClassifiedColumn(c)).map(c => c.name),
                  )
                }
              >
                All unclassified
              </Button>
              <Button
                size="small"
                onClick={() => pick(schema.map(c => c.name))}
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
                        checked={
                          !draft.allColumns &&
                          draft.columns.includes(column.name)
                        }
                        onChange={(_e, checked) =>
                          pick(
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
        {!draft.allColumns &&
          schema.some(
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

/**
 * Says that a request was sent and who decides on it (the provider's developers and
 * operators), with `where` it is listed.
 */
export const RequestSentAlert = (props: {
  agreement: AccessAgreement;
  where: string;
  onClose: () => void;
}) => {
  const { agreement } = props;
  return (
    <Box mb={2}>
      <Alert severity="success" onClose={props.onClose}>
        Your request for {agreement.consumer.tenant}'s access to{' '}
        {agreement.provider.product.replace(/^dataproduct:/, '')} (port{' '}
        {agreement.provider.port}) is pending: {agreement.provider.tenant}'s
        developers and operators decide on it. {props.where}
      </Alert>
    </Box>
  );
};
