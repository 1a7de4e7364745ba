import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import SyncIcon from '@material-ui/icons/Sync';
import { ActionDialog } from '@akili/plugin-akili-react';
import type {
  DeploymentApplication,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import { argocdApiRef } from '../../api';
import { useCanSync } from '../../hooks/useCanSync';
import { shortRevision } from '../../lib/format';

/** The product a sync is for: its catalog namespace (the tenant) and name. */
export interface ProductRef {
  namespace: string;
  name: string;
}

/**
 * "Sync" for the tenant's operators: a confirmation naming the Application and the revision,
 * the request, and the backend's refusal or ArgoCD's error kept in the dialog.
 */
export const SyncButton = (props: {
  product: ProductRef;
  application: DeploymentApplication;
  /** The backend's answer to whether the caller may sync, when it gave one. */
  canSync?: boolean;
  onSynced: (response: SyncResponse) => void;
}) => {
  const { product, application } = props;
  const api = useApi(argocdApiRef);
  const canSync = useCanSync(product.namespace, props.canSync);
  const [open, setOpen] = useState(false);

  if (!canSync.allowed) {
    return null;
  }
  const running = application.operation?.phase === 'Running';
  return (
    <>
      <Button
        variant="contained"
        color="primary"
        startIcon={<SyncIcon />}
        onClick={() => setOpen(true)}
        disabled={running}
        title={running ? 'A sync is already running' : undefined}
      >
        Sync
      </Button>
      <ActionDialog
        open={open}
        title={`Sync ${application.name}?`}
        submitLabel="Sync now"
        canSubmit
        onClose={() => setOpen(false)}
        onSubmit={async () => {
          const response = await api.sync(product.namespace, product.name);
          props.onSynced(response);
        }}
      >
        <Typography variant="body2" paragraph>
          ArgoCD will apply{' '}
          <code>
            {application.repoURL}
            {application.path ? ` (${application.path})` : ''}
          </code>{' '}
          at{' '}
          <strong>
            {application.targetRevision ?? shortRevision(application.revision)}
          </strong>{' '}
          to the namespace <code>{application.namespace}</code>. Resources no
          longer in Git are not deleted.
        </Typography>
        <Typography variant="body2">
          The sync is recorded in the tenant's audit trail under your name.
        </Typography>
      </ActionDialog>
    </>
  );
};
