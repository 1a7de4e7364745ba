import { useState } from 'react';
import { CopyTextButton, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  AkiliApiToken,
  AkiliApiTokenStatus,
  CreatedAkiliApiToken,
} from '@akili/plugin-akili-common';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ActionDialog, Timestamp } from '@akili/plugin-akili-react';
import { akiliTenantsApiRef } from '../../api';
import { formatUser } from '../../lib/tenants';
import { Restricted } from './Restricted';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  note: {
    flex: 1,
  },
  secret: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
  secretText: {
    flex: 1,
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    fontSize: '0.85rem',
    overflowWrap: 'anywhere',
  },
  field: {
    marginBottom: theme.spacing(2),
  },
  inactive: {
    color: theme.palette.text.secondary,
  },
}));

/** Lifetimes offered when issuing a token, in days. */
export const API_TOKEN_LIFETIMES = [7, 30, 90, 365];
const DEFAULT_LIFETIME = 90;

const STATUS_LABELS: Record<AkiliApiTokenStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

const IssueTokenDialog = (props: {
  tenant: string;
  grantable: string[];
  onClose: () => void;
  onIssued: (created: CreatedAkiliApiToken) => void;
}) => {
  const { tenant, grantable } = props;
  const classes = useStyles();
  const api = useApi(akiliTenantsApiRef);
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [days, setDays] = useState(DEFAULT_LIFETIME);

  const toggle = (permission: string, on: boolean) =>
    setPermissions(current =>
      on
        ? [...current, permission]
        : current.filter(held => held !== permission),
    );

  return (
    <ActionDialog
      title="Issue an API token"
      submitLabel="Issue"
      canSubmit={name.trim().length > 0 && permissions.length > 0}
      onClose={props.onClose}
      onSubmit={async () => {
        props.onIssued(
          await api.createApiToken(tenant, {
            name: name.trim(),
            permissions,
            expiresInDays: days,
          }),
        );
      }}
    >
      <DialogContentText>
        A token acts in {tenant} only, with the permissions chosen here, until
        it expires or is revoked. Use it as{' '}
        <code>Authorization: Bearer &lt;token&gt;</code> from the CLI or GitLab
        CI.
      </DialogContentText>
      <TextField
        id="akili-api-token-name"
        className={classes.field}
        label="Name"
        helperText="What it is for, e.g. GitLab CI of orders"
        value={name}
        onChange={event => setName(event.target.value)}
        inputProps={{ maxLength: 100 }}
        required
        fullWidth
      />
      <FormControl component="fieldset" className={classes.field}>
        <FormLabel component="legend">Permissions</FormLabel>
        {grantable.length === 0 ? (
          <Typography variant="body2">
            Your roles in {tenant} grant no permission a token could hold.
          </Typography>
        ) : (
          <FormGroup>
            {grantable.map(permission => (
              <FormControlLabel
                key={permission}
                label={<code>{permission}</code>}
                control={
                  <Checkbox
                    checked={permissions.includes(permission)}
                    onChange={event => toggle(permission, event.target.checked)}
                  />
                }
              />
            ))}
          </FormGroup>
        )}
      </FormControl>
      <TextField
        id="akili-api-token-lifetime"
        select
        label="Expires in"
        value={days}
        onChange={event => setDays(Number(event.target.value))}
        fullWidth
      >
        {API_TOKEN_LIFETIMES.map(value => (
          <MenuItem key={value} value={value}>
            {value} days
          </MenuItem>
        ))}
      </TextField>
    </ActionDialog>
  );
};

/** The secret of a token just issued: shown this once, with a copy button. */
const SecretDialog = (props: {
  created: CreatedAkiliApiToken;
  onClose: () => void;
}) => {
  const classes = useStyles();
  const { token, secret } = props.created;
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby="akili-api-token-secret"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="akili-api-token-secret">
        API token {token.name} issued
      </DialogTitle>
      <DialogContent>
        <Alert severity="warning">
          Copy the token now: it is shown this once and cannot be read again.
          The portal keeps only a hash of it.
        </Alert>
        <Box className={classes.secret}>
          <code className={classes.secretText} aria-label="API token secret">
            {secret}
          </code>
          <CopyTextButton
            text={secret}
            tooltipText="Token copied to the clipboard"
            aria-label="Copy the token"
          />
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary" variant="contained">
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
};

const RevokeTokenDialog = (props: {
  tenant: string;
  token: AkiliApiToken;
  onClose: () => void;
  onRevoked: (revoked: AkiliApiToken) => void;
}) => {
  const { tenant, token } = props;
  const api = useApi(akiliTenantsApiRef);
  return (
    <ActionDialog
      title={`Revoke API token ${token.name}?`}
      submitLabel="Revoke"
      destructive
      canSubmit
      onClose={props.onClose}
      onSubmit={async () => {
        props.onRevoked(await api.revokeApiToken(tenant, token.id));
      }}
    >
      <DialogContentText>
        Callers using it are refused within 30 seconds. A revoked token cannot
        be restored: issue a new one if it is still needed.
      </DialogContentText>
    </ActionDialog>
  );
};

const TokensTable = (props: {
  tokens: AkiliApiToken[];
  onRevoke: (token: AkiliApiToken) => void;
}) => {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="API tokens">
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Permissions</TableCell>
          <TableCell>Created by</TableCell>
          <TableCell>Expires</TableCell>
          <TableCell>Last used</TableCell>
          <TableCell>Status</TableCell>
          <TableCell aria-label="Actions" />
        </TableRow>
      </TableHead>
      <TableBody>
        {props.tokens.map(token => {
          const active = token.status === 'active';
          return (
            <TableRow
              key={token.id}
              className={active ? undefined : classes.inactive}
            >
              <TableCell title={token.id}>{token.name}</TableCell>
              <TableCell>
                {token.permissions.map(permission => (
                  <code key={permission} style={{ display: 'block' }}>
                    {permission}
                  </code>
                ))}
              </TableCell>
              <TableCell title={token.createdBy}>
                {formatUser(token.createdBy)}
                <Typography variant="caption" display="block">
                  <Timestamp value={token.createdAt} />
                </Typography>
              </TableCell>
              <TableCell>
                <Timestamp value={token.expiresAt} />
              </TableCell>
              <TableCell>
                {token.lastUsedAt ? (
                  <Timestamp value={token.lastUsedAt} />
                ) : (
                  'never'
                )}
              </TableCell>
              <TableCell>
                {STATUS_LABELS[token.status]}
                {token.revokedBy && (
                  <Typography variant="caption" display="block">
                    by {formatUser(token.revokedBy)}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {active && (
                  <Button
                    size="small"
                    variant="outlined"
                    color="secondary"
                    onClick={() => props.onRevoke(token)}
                    aria-label={`Revoke ${token.name}`}
                  >
                    Revoke
                  </Button>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};

/**
 * The tenant's API tokens, for its operators and platform admins: who issued which token with
 * which permissions, when it expires and was last used; issuing one (its secret shown once, with
 * a copy button) and revoking one. A 403 reads as a note for everyone else.
 */
export const ApiTokensCard = (props: {
  tenant: string;
  /** Called after a token was issued or revoked, so the audit trail refreshes. */
  onChanged?: () => void;
}) => {
  const { tenant, onChanged } = props;
  const classes = useStyles();
  const api = useApi(akiliTenantsApiRef);
  const tokens = useAsyncRetry(() => api.listApiTokens(tenant), [api, tenant]);
  const [dialog, setDialog] = useState<
    { kind: 'issue' } | { kind: 'revoke'; token: AkiliApiToken }
  >();
  /** A token just issued, whose secret shows until the dialog is closed. */
  const [created, setCreated] = useState<CreatedAkiliApiToken>();
  const [notice, setNotice] = useState<string>();

  const close = () => setDialog(undefined);
  const changed = () => {
    tokens.retry();
    onChanged?.();
  };

  const items = tokens.value?.items ?? [];
  return (
    <InfoCard title="API tokens">
      <Restricted
        tenant={tenant}
        loading={tokens.loading && !tokens.value}
        error={tokens.error}
        what="the API tokens"
      >
        <Box className={classes.toolbar}>
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.note}
          >
            Tokens let the CLI or GitLab CI act in {tenant} with the named
            permissions only. Anyone acting as a person uses their own sign-in
            instead.
          </Typography>
          <Button
            variant="outlined"
            color="primary"
            onClick={() => {
              setNotice(undefined);
              setDialog({ kind: 'issue' });
            }}
          >
            Issue token
          </Button>
        </Box>
        {notice && (
          <Alert severity="success" onClose={() => setNotice(undefined)}>
            {notice}
          </Alert>
        )}
        {items.length === 0 ? (
          <Typography variant="body2">
            No API tokens yet: issue one for a pipeline or script that calls
            Akili for {tenant}.
          </Typography>
        ) : (
          <TokensTable
            tokens={items}
            onRevoke={token => setDialog({ kind: 'revoke', token })}
          />
        )}
      </Restricted>
      {dialog?.kind === 'issue' && (
        <IssueTokenDialog
          tenant={tenant}
          grantable={tokens.value?.grantablePermissions ?? []}
          onClose={close}
          onIssued={issued => {
            setCreated(issued);
            changed();
          }}
        />
      )}
      {created && (
        <SecretDialog created={created} onClose={() => setCreated(undefined)} />
      )}
      {dialog?.kind === 'revoke' && (
        <RevokeTokenDialog
          tenant={tenant}
          token={dialog.token}
          onClose={close}
          onRevoked={revoked => {
            setNotice(
              `Revoked ${revoked.name}: callers using it are refused within 30 seconds.`,
            );
            changed();
          }}
        />
      )}
    </InfoCard>
  );
};
