import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import { ArgocdClient, argocdApiRef } from './api';

/** `api:argocd`: the deployment API of the argocd backend. */
export const argocdApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: argocdApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ArgocdClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `entity-content:argocd/deployment`: the Deployment tab of DataProduct entities (ArgoCD
 * Application, resources and drift, sync history, Kubernetes workloads).
 */
export const dataProductDeploymentContent = EntityContentBlueprint.make({
  name: 'deployment',
  params: {
    path: 'deployment',
    title: 'Deployment',
    filter: { kind: 'dataproduct' },
    loader: () =>
      import('./components/DeploymentContent').then(m => (
        <m.DeploymentContent />
      )),
  },
});

/**
 * The Akili deployment frontend plugin: how a data product is deployed, from its ArgoCD
 * Application down to its pods.
 *
 * @public
 */
export const argocdPlugin = createFrontendPlugin({
  pluginId: 'argocd',
  title: 'Deployment',
  icon: <CloudUploadIcon fontSize="inherit" />,
  extensions: [argocdApi, dataProductDeploymentContent],
});
