import {
  AKILI_ROLES,
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';
import { TenancyService } from '@akili/plugin-akili-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { KubernetesClustersSupplier } from '@backstage/plugin-kubernetes-node';
import express from 'express';
import Router from 'express-promise-router';
import { KUBERNETES_NAMESPACE_ANNOTATION } from '../TenantBoundObjectsProvider';
import { TenantNamespaces } from '../TenantNamespaces';
import { ClusterClient, DEFAULT_KUBERNETES_TIMEOUT_MS } from './ClusterClient';

/** Lines of a log when the request names none. */
export const DEFAULT_TAIL_LINES = 500;
/** The most lines one request may ask for. */
export const MAX_TAIL_LINES = 5000;
/** The most bytes of log one answer carries (Kubernetes' `limitBytes`). */
export const LOG_LIMIT_BYTES = 1024 * 1024;

/**
 * Reading a pod's log is reading the product's workloads: the same Backstage permission as the
 * Kubernetes plugin's workload routes (`kubernetes.resources.read`, which the Akili policy
 * gives every tenant role), declared with the roles that grant it so the tenancy path can
 * decide it in the product's tenant.
 *
 * @public
 */
export const kubernetesPodLogsReadPermission: AkiliTenantPermission =
  createAkiliTenantPermission({
    name: kubernetesResourcesReadPermission.name,
    attributes: kubernetesResourcesReadPermission.attributes,
    grantedTo: AKILI_ROLES,
  });

/** A Kubernetes object name (RFC 1123 subdomain) or namespace/container name (label). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function k8sName(value: string, what: string): string {
  if (value.length > 253 || !K8S_NAME.test(value)) {
    throw new InputError(`Invalid ${what} '${value}'`);
  }
  return value;
}

function queryString(req: express.Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`Query parameter ${name} is given once, as a string`);
  }
  return value;
}

function tailLinesOf(req: express.Request): number {
  const raw = queryString(req, 'tailLines');
  if (raw === undefined || raw === '') {
    return DEFAULT_TAIL_LINES;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_TAIL_LINES) {
    throw new InputError(
      `tailLines must be a whole number from 1 to ${MAX_TAIL_LINES}, got '${raw}'`,
    );
  }
  return value;
}

/** The label selector of an entity's workloads, as the stock Kubernetes backend builds it. */
export function workloadSelectorOf(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[KUBERNETES_ANNOTATION] || entity.metadata.name;
  return (
    annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION] ||
    `${KUBERNETES_ANNOTATION}=${id}`
  );
}

/** The answer of the logs route. */
export interface PodLogsResponse {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  tailLines: number;
  /** The log's last lines, as Kubernetes answered them (at most {@link LOG_LIMIT_BYTES}). */
  text: string;
}

/**
 * The tenant-bound pod logs route of the Kubernetes plugin:
 * `GET /akili/v1/entities/:kind/:namespace/:name/pods/:podNamespace/:pod/logs`
 * (`?cluster=&container=&tailLines=`), mounted under `/api/kubernetes`.
 *
 * @remarks
 *
 * The caller is a user (no service principal, no API token) authorized in the entity's tenant
 * (its catalog namespace) through the tenancy path; the entity is read from the catalog with
 * the caller's credentials. The pod is then looked up in the cluster, never taken from the
 * request: it must be in one of the tenant's namespaces (and the entity's
 * `backstage.io/kubernetes-namespace`, when it names one) and be selected by the entity's own
 * workload selector. Anything else answers 404, the same as a pod that does not exist.
 */
export function createPodLogsRouter(options: {
  tenancy: TenancyService;
  catalog: CatalogService;
  namespaces: TenantNamespaces;
  clusterSupplier: () => Promise<KubernetesClustersSupplier>;
  logger: LoggerService;
  timeoutMs?: number;
}): express.Router {
  const { tenancy, catalog, namespaces, logger } = options;
  const router = Router();

  router.get(
    '/akili/v1/entities/:kind/:namespace/:name/pods/:podNamespace/:pod/logs',
    async (req, res) => {
      const { kind, name } = req.params;
      const namespace = req.params.namespace.toLocaleLowerCase('en-US');
      const ref = stringifyEntityRef({ kind, namespace, name });
      const noEntity = `No entity ${ref}`;

      const authentication = await tenancy.authenticate(req);
      if (authentication.principal.type !== 'user') {
        throw new NotAllowedError(
          `Pod logs are read only on behalf of a user, not by ${authentication.actorRef}`,
        );
      }
      const authorization = await tenancy.authorize(authentication, {
        tenant: namespace,
        permission: kubernetesPodLogsReadPermission,
        notFoundMessage: noEntity,
      });
      const entity = await catalog.getEntityByRef(ref, {
        credentials: await tenancy.catalogCredentials(authorization, {
          namespace,
        }),
      });
      if (!entity) {
        throw new NotFoundError(noEntity);
      }

      const podNamespace = k8sName(req.params.podNamespace, 'pod namespace');
      const podName = k8sName(req.params.pod, 'pod name');
      const tailLines = tailLinesOf(req);
      const requestedContainer = queryString(req, 'container');
      const requestedCluster = queryString(req, 'cluster');
      const noPod = `No pod ${podNamespace}/${podName} of ${ref}`;

      const annotated =
        entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
      if (
        !namespaces.isNamespaceOf(podNamespace, authorization.tenant) ||
        (annotated && annotated !== podNamespace)
      ) {
        throw new NotFoundError(noPod);
      }

      const supplier = await options.clusterSupplier();
      const clusters = await supplier.getClusters({
        credentials: authorization.credentials,
      });
      const cluster =
        requestedCluster === undefined && clusters.length === 1
          ? clusters[0]
          : clusters.find(c => c.name === requestedCluster);
      if (!cluster) {
        throw new InputError(
          requestedCluster === undefined
            ? `Query parameter cluster is required: one of ${clusters
                .map(c => c.name)
                .join(', ')}`
            : `No cluster '${requestedCluster}' is configured`,
        );
      }

      const client = new ClusterClient(
        cluster,
        options.timeoutMs ?? DEFAULT_KUBERNETES_TIMEOUT_MS,
      );
      // The cluster evaluates the product's selector in the pod's namespace, as it does when the
      // portal lists the product's workloads; the pod must be one of those it answers.
      const pod = (
        await client.listPods(podNamespace, workloadSelectorOf(entity))
      ).find(
        p =>
          p.metadata?.name === podName &&
          p.metadata?.namespace === podNamespace,
      );
      if (!pod) {
        throw new NotFoundError(noPod);
      }

      const containers = [
        ...(pod.spec?.containers ?? []),
        ...(pod.spec?.initContainers ?? []),
      ].map(c => c.name);
      const container =
        requestedContainer ??
        (pod.spec?.containers?.length === 1
          ? pod.spec.containers[0].name
          : undefined);
      if (container === undefined || !containers.includes(container)) {
        throw new InputError(
          `${
            container === undefined
              ? 'Query parameter container is required'
              : `Pod ${podNamespace}/${podName} has no container '${container}'`
          }: its containers are ${containers.join(', ')}`,
        );
      }

      const text = await client.podLog({
        namespace: podNamespace,
        pod: podName,
        container,
        tailLines,
        limitBytes: LOG_LIMIT_BYTES,
      });
      logger.info('Pod log read', {
        actor: authorization.actorRef,
        entity: ref,
        cluster: cluster.name,
        pod: `${podNamespace}/${podName}`,
        container,
      });
      const body: PodLogsResponse = {
        cluster: cluster.name,
        namespace: podNamespace,
        pod: podName,
        container,
        tailLines,
        text,
      };
      res.json(body);
    },
  );

  return router;
}
