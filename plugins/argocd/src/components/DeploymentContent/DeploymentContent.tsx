import { useEffect, useState } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ExpectedDeploymentApplication,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { argocdApiRef } from '../../api';
import { shortRevision } from '../../lib/format';
import { ArgocdErrorPanel } from '../common/ArgocdErrorPanel';
import { ApplicationCard } from './ApplicationCard';
import { HistoryTable } from './HistoryTable';
import { KubernetesWorkloads } from './KubernetesWorkloads';
import { ResourcesTable } from './ResourcesTable';

/** Props of {@link DeploymentContent}. */
export interface DeploymentContentProps {
  /** How often to reload the Application while a sync runs; default 5 s. */
  pollIntervalMs?: number;
  /** How often the Kubernetes workloads reload; default the Kubernetes plugin's 10 s. */
  kubernetesRefreshIntervalMs?: number;
}

const NotConfigured = () => (
  <WarningPanel
    severity="info"
    title="Deployments are not set up in this portal"
    defaultExpanded
  >
    <Typography variant="body2">
      The portal's backend has no ArgoCD to talk to, so it cannot show how this
      product is deployed. An administrator sets <code>argocd.baseUrl</code>{' '}
      (the URL of ArgoCD's API server) and <code>argocd.token</code> (the token
      of the portal's ArgoCD account) in the backend's app-config.
    </Typography>
  </WarningPanel>
);

const NotDeployed = (props: {
  name: string;
  expected: ExpectedDeploymentApplication;
}) => {
  const { expected } = props;
  const labels = Object.entries(expected.labels);
  return (
    <WarningPanel
      severity="info"
      title={`${props.name} is not deployed by ArgoCD`}
      defaultExpanded
    >
      <Typography variant="body2" component="div">
        ArgoCD has no Application for this product. To deploy it, create an
        Application
        <ul aria-label="What the Application needs">
          <li>
            in the ArgoCD project <code>{expected.project}</code>,
          </li>
          <li>
            with the destination namespace <code>{expected.namespace}</code>,
          </li>
          {labels.length > 0 && (
            <li>
              with the label{labels.length > 1 ? 's' : ''}{' '}
              {labels.map(([key, value], i) => (
                <span key={key}>
                  {i > 0 && ', '}
                  <code>
                    {key}={value}
                  </code>
                </span>
              ))}
              .
            </li>
          )}
        </ul>
        The tenant's GitOps repository (its <code>argocd/</code> folder) is
        where it belongs.
      </Typography>
    </WarningPanel>
  );
};

/**
 * The Deployment tab of a data product: its ArgoCD Application (status, resources with their
 * drift, sync history and, for the tenant's operators, "Sync"), then its Kubernetes workloads.
 */
export const DeploymentContent = (props: DeploymentContentProps) => {
  const { pollIntervalMs = 5000 } = props;
  const { entity } = useEntity();
  const product = {
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const api = useApi(argocdApiRef);
  const deployment = useAsyncRetry(
    () => api.getDeployment(product.namespace, product.name),
    [api, product.namespace, product.name],
  );
  const [synced, setSynced] = useState<SyncResponse>();
  const now = Date.now();

  const value = deployment.value;
  const operationRunning =
    value?.status === 'deployed' &&
    (value.application.operation?.phase === 'Running' ||
      value.application.operation?.phase === 'Terminating');
  const { retry, loading } = deployment;
  useEffect(() => {
    if (!operationRunning || loading) {
      return undefined;
    }
    const timer = setTimeout(retry, pollIntervalMs);
    return () => clearTimeout(timer);
  }, [operationRunning, loading, retry, pollIntervalMs]);

  const what = `the deployment of ${product.name}`;
  let argocd: JSX.Element;
  if (!value && deployment.error) {
    argocd = (
      <ArgocdErrorPanel
        error={deployment.error}
        what={what}
        forbidden={`Only members of the tenant ${product.namespace} can see ${what}.`}
        notFound={`The portal knows no data product ${product.name} in ${product.namespace} that you can see.`}
        onRetry={retry}
      />
    );
  } else if (!value) {
    argocd = <Progress />;
  } else if (value.status === 'not-configured') {
    argocd = <NotConfigured />;
  } else if (value.status === 'not-deployed') {
    argocd = (
      <NotDeployed name={product.name} expected={value.expectedApplication} />
    );
  } else {
    argocd = (
      <Grid container spacing={3}>
        {deployment.error !== undefined && (
          <Grid item xs={12}>
            <ArgocdErrorPanel
              error={deployment.error}
              what={`the latest state of ${what}`}
              onRetry={retry}
            />
          </Grid>
        )}
        {synced && (
          <Grid item xs={12}>
            <Alert
              severity="success"
              role="status"
              onClose={() => setSynced(undefined)}
            >
              Sync of {synced.application} to{' '}
              <code title={synced.revision}>
                {shortRevision(synced.revision)}
              </code>{' '}
              started
              {synced.operation ? ` (${synced.operation.phase})` : ''}.
            </Alert>
          </Grid>
        )}
        <Grid item xs={12}>
          <ApplicationCard
            product={product}
            application={value.application}
            canSync={value.canSync}
            now={now}
            onSynced={response => {
              setSynced(response);
              retry();
            }}
          />
        </Grid>
        {/* Side by side only on wide screens: at 1280 px both tables squeeze their columns. */}
        <Grid item xs={12} xl={7}>
          <ResourcesTable
            product={product}
            resources={value.application.resources}
          />
        </Grid>
        <Grid item xs={12} xl={5}>
          <HistoryTable history={value.application.history} now={now} />
        </Grid>
      </Grid>
    );
  }

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <DependencyNotice dependencies={['argocd', 'kubernetes']} />
        {argocd}
      </Grid>
      <Grid item>
        <KubernetesWorkloads
          entity={entity}
          refreshIntervalMs={props.kubernetesRefreshIntervalMs}
        />
      </Grid>
    </Grid>
  );
};
