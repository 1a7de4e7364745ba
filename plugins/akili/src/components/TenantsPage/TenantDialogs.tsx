import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  DEFAULT_TENANT_QUOTAS,
  Tenant,
  TenantQuotas,
  isValidTenantName,
} from '@akili/plugin-akili-common';
import { DialogContentText, Grid, TextField } from '@material-ui/core';
import { ActionDialog } from '@akili/plugin-akili-react';
import { akiliTenantsApiRef } from '../../api';
import {
  quotaError,
  storageQuotaBytes,
  storageQuotaError,
  storageQuotaText,
} from '../../lib/tenants';

type QuotaText = {
  queryRowLimit: string;
  maxConcurrentQueries: string;
  /** In GB (powers of 1,000); empty is no quota. */
  storageQuotaGb: string;
};

function quotaText(quotas: TenantQuotas): QuotaText {
  return {
    queryRowLimit: String(quotas.queryRowLimit),
    maxConcurrentQueries: String(quotas.maxConcurrentQueries),
    storageQuotaGb: storageQuotaText(quotas.storageQuotaBytes),
  };
}

function parseQuotas(text: QuotaText): TenantQuotas {
  const storage = storageQuotaBytes(text.storageQuotaGb);
  return {
    queryRowLimit: Number(text.queryRowLimit),
    maxConcurrentQueries: Number(text.maxConcurrentQueries),
    ...(storage !== undefined ? { storageQuotaBytes: storage } : {}),
  };
}

/**
 * The storage quota's problem, if any. The registry cannot remove a storage quota once set
 * (`PATCH` takes a size, not `null`), so editing a tenant that has one requires a size.
 */
function storageError(text: string, keepRequired: boolean): string | undefined {
  if (keepRequired && !text.trim()) {
    return 'Required: a storage quota cannot be removed once set, enter a larger one instead';
  }
  return storageQuotaError(text);
}

function quotasValid(text: QuotaText, storageRequired: boolean): boolean {
  return (
    !quotaError(text.queryRowLimit) &&
    !quotaError(text.maxConcurrentQueries) &&
    !storageError(text.storageQuotaGb, storageRequired)
  );
}

const QuotaFields = (props: {
  value: QuotaText;
  onChange: (value: QuotaText) => void;
  /** The tenant already has a storage quota (it cannot be removed). */
  storageRequired?: boolean;
}) => {
  const { value, onChange } = props;
  const rowError = quotaError(value.queryRowLimit);
  const concurrentError = quotaError(value.maxConcurrentQueries);
  const lakeError = storageError(
    value.storageQuotaGb,
    props.storageRequired ?? false,
  );
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <TextField
          id="akili-tenant-query-row-limit"
          label="Query row limit"
          type="number"
          fullWidth
          margin="dense"
          value={value.queryRowLimit}
          onChange={e => onChange({ ...value, queryRowLimit: e.target.value })}
          error={!!rowError}
          helperText={rowError ?? 'Most rows one query may return'}
          inputProps={{ min: 1, step: 1 }}
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="akili-tenant-concurrent-queries"
          label="Concurrent queries"
          type="number"
          fullWidth
          margin="dense"
          value={value.maxConcurrentQueries}
          onChange={e =>
            onChange({ ...value, maxConcurrentQueries: e.target.value })
          }
          error={!!concurrentError}
          helperText={
            concurrentError ?? 'Most queries of the tenant running at once'
          }
          inputProps={{ min: 1, step: 1 }}
        />
      </Grid>
      <Grid item xs={12}>
        <TextField
          id="akili-tenant-storage-quota"
          label="Lake storage quota (GB)"
          type="number"
          fullWidth
          margin="dense"
          value={value.storageQuotaGb}
          onChange={e => onChange({ ...value, storageQuotaGb: e.target.value })}
          error={!!lakeError}
          helperText={
            lakeError ??
            'Bytes the tenant may store in the lake, in GB (1 GB = 1,000,000,000 bytes); empty for no quota'
          }
          inputProps={{ min: 0, step: 'any' }}
        />
      </Grid>
    </Grid>
  );
};

const NAME_HINT =
  'Lowercase letters, digits and inner dashes, at most 63 characters. It is also the catalog namespace of the tenant and cannot change later.';

/** Creates a tenant (platform admins). */
export const CreateTenantDialog = (props: {
  open: boolean;
  onClose: () => void;
  onCreated: (tenant: Tenant) => void;
}) => {
  const api = useApi(akiliTenantsApiRef);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [quotas, setQuotas] = useState(quotaText(DEFAULT_TENANT_QUOTAS));

  const nameInvalid = name !== '' && !isValidTenantName(name);
  const canSubmit =
    isValidTenantName(name) &&
    title.trim() !== '' &&
    quotasValid(quotas, false);

  const close = () => {
    setName('');
    setTitle('');
    setDescription('');
    setQuotas(quotaText(DEFAULT_TENANT_QUOTAS));
    props.onClose();
  };

  return (
    <ActionDialog
      open={props.open}
      title="Create tenant"
      submitLabel="Create"
      canSubmit={canSubmit}
      onClose={close}
      onSubmit={async () => {
        const created = await api.createTenant({
          name,
          title: title.trim(),
          description: description.trim() || undefined,
          quotas: parseQuotas(quotas),
        });
        props.onCreated(created);
      }}
    >
      <TextField
        id="akili-tenant-name"
        label="Name"
        required
        fullWidth
        margin="dense"
        value={name}
        onChange={e => setName(e.target.value)}
        error={nameInvalid}
        helperText={
          nameInvalid ? `Not a valid tenant name. ${NAME_HINT}` : NAME_HINT
        }
      />
      <TextField
        id="akili-tenant-title"
        label="Title"
        required
        fullWidth
        margin="dense"
        value={title}
        onChange={e => setTitle(e.target.value)}
        helperText="How people see the tenant, e.g. ACME Corp"
      />
      <TextField
        id="akili-tenant-description"
        label="Description"
        fullWidth
        multiline
        minRows={2}
        margin="dense"
        value={description}
        onChange={e => setDescription(e.target.value)}
      />
      <QuotaFields value={quotas} onChange={setQuotas} />
    </ActionDialog>
  );
};

/** Changes a tenant's quotas (platform admins). */
export const EditQuotasDialog = (props: {
  open: boolean;
  tenant: Tenant;
  onClose: () => void;
  onDone: () => void;
}) => {
  const { tenant } = props;
  const api = useApi(akiliTenantsApiRef);
  const [quotas, setQuotas] = useState(quotaText(tenant.quotas));
  const storageRequired = tenant.quotas.storageQuotaBytes !== undefined;

  return (
    <ActionDialog
      open={props.open}
      title={`Edit quotas of ${tenant.name}`}
      submitLabel="Save"
      canSubmit={quotasValid(quotas, storageRequired)}
      onClose={() => {
        setQuotas(quotaText(tenant.quotas));
        props.onClose();
      }}
      onSubmit={async () => {
        await api.updateTenant(tenant.name, { quotas: parseQuotas(quotas) });
        props.onDone();
      }}
    >
      <DialogContentText>
        The query plugin applies new quotas to the next queries of the tenant;
        the lake's Storage page shows the tenant's usage against its storage
        quota.
      </DialogContentText>
      <QuotaFields
        value={quotas}
        onChange={setQuotas}
        storageRequired={storageRequired}
      />
    </ActionDialog>
  );
};

/** Suspends a tenant after the admin gives a reason (platform admins). */
export const SuspendTenantDialog = (props: {
  open: boolean;
  tenant: Tenant;
  onClose: () => void;
  onDone: () => void;
}) => {
  const { tenant } = props;
  const api = useApi(akiliTenantsApiRef);
  const [reason, setReason] = useState('');

  return (
    <ActionDialog
      open={props.open}
      title={`Suspend ${tenant.name}?`}
      submitLabel="Suspend"
      destructive
      canSubmit={reason.trim() !== ''}
      onClose={() => {
        setReason('');
        props.onClose();
      }}
      onSubmit={async () => {
        await api.suspendTenant(tenant.name, { reason: reason.trim() });
        props.onDone();
      }}
    >
      <DialogContentText>
        Members of {tenant.title} can no longer use Akili until the tenant is
        resumed. They see the reason you give.
      </DialogContentText>
      <TextField
        id="akili-tenant-suspend-reason"
        label="Reason"
        required
        fullWidth
        multiline
        minRows={2}
        margin="dense"
        value={reason}
        onChange={e => setReason(e.target.value)}
        helperText="Required: why the tenant is suspended"
      />
    </ActionDialog>
  );
};

/** Resumes a suspended tenant after confirmation (platform admins). */
export const ResumeTenantDialog = (props: {
  open: boolean;
  tenant: Tenant;
  onClose: () => void;
  onDone: () => void;
}) => {
  const { tenant } = props;
  const api = useApi(akiliTenantsApiRef);
  return (
    <ActionDialog
      open={props.open}
      title={`Resume ${tenant.name}?`}
      submitLabel="Resume"
      canSubmit
      onClose={props.onClose}
      onSubmit={async () => {
        await api.resumeTenant(tenant.name);
        props.onDone();
      }}
    >
      <DialogContentText>
        Members of {tenant.title} can use Akili again.
        {tenant.suspendedReason &&
          ` It was suspended because: ${tenant.suspendedReason}`}
      </DialogContentText>
    </ActionDialog>
  );
};
