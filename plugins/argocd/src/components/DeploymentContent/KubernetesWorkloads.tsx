import { Entity } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import {
  DetectedErrorsByCluster,
  detectErrors,
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  Cluster,
  DetectedErrorsContext,
  ErrorPanel,
  ErrorReporting,
  useKubernetesObjects,
} from '@backstage/plugin-kubernetes-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ListedPod, PodLogsList } from './PodLogsList';

/**
 * The product's workloads as the official Kubernetes plugin shows them (the content of its
 * entity tab, built from `@backstage/plugin-kubernetes-react`): detected errors, then per
 * cluster its deployments, pods (with events) and services, then the pods' logs. The Kubernetes
 * backend reads them only for members of the product's tenant and only from its namespaces
 * (`@akili/plugin-kubernetes-backend-module-akili`). Logs come through that module's
 * tenant-bound logs route, not the stock views' Kubernetes proxy (platform admins only).
 */
const Workloads = (props: { entity: Entity; refreshIntervalMs?: number }) => {
  const { entity } = props;
  const { kubernetesObjects, error } = useKubernetesObjects(
    entity,
    props.refreshIntervalMs,
  );
  const detected: DetectedErrorsByCluster = kubernetesObjects
    ? detectErrors(kubernetesObjects)
    : new Map();
  const clusters = kubernetesObjects?.items.map(item => item.cluster) ?? [];
  const clustersWithErrors =
    kubernetesObjects?.items.filter(item => item.errors.length > 0) ?? [];

  if (!kubernetesObjects && !error) {
    return <Progress />;
  }
  return (
    <DetectedErrorsContext.Provider value={[...detected.values()].flat()}>
      <Grid container spacing={2} direction="column">
        {error !== undefined && (
          <Grid item>
            <ErrorPanel
              entityName={entity.metadata.name}
              errorMessage={error}
            />
          </Grid>
        )}
        {clustersWithErrors.length > 0 && (
          <Grid item>
            <ErrorPanel
              entityName={entity.metadata.name}
              clustersWithErrors={clustersWithErrors}
            />
          </Grid>
        )}
        {kubernetesObjects && (
          <>
            <Grid item>
              <ErrorReporting detectedErrors={detected} clusters={clusters} />
            </Grid>
            {kubernetesObjects.items.length === 0 ? (
              <Grid item>
                <Typography variant="body2" color="textSecondary">
                  No workloads of {entity.metadata.name} in any cluster the
                  portal knows.
                </Typography>
              </Grid>
            ) : (
              kubernetesObjects.items.map(item => {
                const podsWithErrors = new Set<string>(
                  detected
                    .get(item.cluster.name)
                    ?.filter(e => e.sourceRef.kind === 'Pod')
                    .map(e => e.sourceRef.name),
                );
                const pods = item.resources
                  .filter(r => r.type === 'pods')
                  .flatMap(r => r.resources as ListedPod[]);
                return (
                  <Grid item key={item.cluster.name}>
                    <Cluster
                      clusterObjects={item}
                      podsWithErrors={podsWithErrors}
                    />
                    <PodLogsList
                      entity={entity}
                      cluster={item.cluster.name}
                      pods={pods}
                    />
                  </Grid>
                );
              })
            )}
          </>
        )}
      </Grid>
    </DetectedErrorsContext.Provider>
  );
};

/** The Kubernetes workloads card, for users the Kubernetes permissions allow. */
export const KubernetesWorkloads = (props: {
  entity: Entity;
  refreshIntervalMs?: number;
}) => {
  const clustersRead = usePermission({
    permission: kubernetesClustersReadPermission,
  });
  const resourcesRead = usePermission({
    permission: kubernetesResourcesReadPermission,
  });
  const loading = clustersRead.loading || resourcesRead.loading;
  const allowed = clustersRead.allowed && resourcesRead.allowed;
  return (
    <InfoCard title="Kubernetes workloads">
      {loading && <Progress />}
      {!loading && !allowed && (
        <Alert severity="info">
          You are not allowed to see the Kubernetes workloads of{' '}
          {props.entity.metadata.name}.
        </Alert>
      )}
      {!loading && allowed && (
        <Workloads
          entity={props.entity}
          refreshIntervalMs={props.refreshIntervalMs}
        />
      )}
    </InfoCard>
  );
};
