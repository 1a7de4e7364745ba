import { Fragment, useCallback, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import type {
  DeploymentDrift,
  DeploymentResource,
  DeploymentResourceDrift,
} from '@akili/plugin-argocd-common';
import { argocdApiRef } from '../../api';
import { formatDriftValue, groupKind, resourceKey } from '../../lib/format';
import { ArgocdErrorPanel } from '../common/ArgocdErrorPanel';
import { HealthChip, SyncStatusChip } from '../common/bits';
import type { ProductRef } from './SyncButton';

type DriftState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'loaded'; drift: DeploymentDrift }
  | { state: 'failed'; error: unknown };

/** What differs in one resource: path, live and desired values. */
const DriftDetails = (props: {
  resource: DeploymentResource;
  drift: DriftState;
  onRetry: () => void;
}) => {
  const { resource, drift } = props;
  if (drift.state === 'idle' || drift.state === 'loading') {
    return <Progress />;
  }
  if (drift.state === 'failed') {
    return (
      <ArgocdErrorPanel
        error={drift.error}
        what={`the drift of ${resource.kind} ${resource.name}`}
        onRetry={props.onRetry}
      />
    );
  }
  const key = resourceKey(resource);
  const found: DeploymentResourceDrift | undefined = drift.drift.resources.find(
    r => resourceKey(r) === key,
  );
  if (!found || found.changes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {resource.requiresPruning
          ? 'This resource is in the cluster but no longer in Git: a sync with pruning deletes it.'
          : 'ArgoCD reports no field-level differences for this resource (it may be missing from the cluster).'}
      </Typography>
    );
  }
  return (
    <Table
      size="small"
      aria-label={`Drift of ${resource.kind} ${resource.name}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Path</TableCell>
          <TableCell>Live (cluster)</TableCell>
          <TableCell>Desired (Git)</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {found.changes.map(change => (
          <TableRow key={change.path}>
            <TableCell>
              <code>{change.path}</code>
            </TableCell>
            <TableCell>
              <code style={{ wordBreak: 'break-all' }}>
                {formatDriftValue(change.live)}
              </code>
            </TableCell>
            <TableCell>
              <code style={{ wordBreak: 'break-all' }}>
                {formatDriftValue(change.desired)}
              </code>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/**
 * The Kubernetes resources the Application manages, with their sync status and health; an
 * out-of-sync resource opens to show how it drifted (loaded from the drift route when first
 * opened, for all resources at once).
 */
export const ResourcesTable = (props: {
  product: ProductRef;
  resources: DeploymentResource[];
}) => {
  const { product, resources } = props;
  const api = useApi(argocdApiRef);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [drift, setDrift] = useState<DriftState>({ state: 'idle' });

  const loadDrift = useCallback(() => {
    setDrift({ state: 'loading' });
    api.getDrift(product.namespace, product.name).then(
      value => setDrift({ state: 'loaded', drift: value }),
      error => setDrift({ state: 'failed', error }),
    );
  }, [api, product.namespace, product.name]);

  const toggle = (key: string) => {
    const next = new Set(expanded);
    if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
      if (drift.state === 'idle') {
        loadDrift();
      }
    }
    setExpanded(next);
  };

  const outOfSync = resources.filter(r => r.syncStatus === 'OutOfSync').length;
  return (
    <InfoCard
      title="Resources"
      subheader={`${resources.length} managed by ArgoCD${
        outOfSync ? `, ${outOfSync} out of sync` : ''
      }`}
      noPadding
    >
      {resources.length === 0 ? (
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            The Application manages no resources yet.
          </Typography>
        </Box>
      ) : (
        <Table size="small" aria-label="Resources">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Kind</TableCell>
              <TableCell>Namespace / name</TableCell>
              <TableCell>Sync status</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Requires pruning</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {resources.map(resource => {
              const key = resourceKey(resource);
              const canExpand = resource.syncStatus === 'OutOfSync';
              const open = canExpand && expanded.has(key);
              return (
                <Fragment key={key}>
                  <TableRow>
                    <TableCell padding="checkbox">
                      {canExpand && (
                        <IconButton
                          size="small"
                          aria-expanded={open}
                          aria-label={`${open ? 'Hide' : 'Show'} drift of ${
                            resource.kind
                          } ${resource.name}`}
                          onClick={() => toggle(key)}
                        >
                          {open ? (
                            <KeyboardArrowDownIcon />
                          ) : (
                            <KeyboardArrowRightIcon />
                          )}
                        </IconButton>
                      )}
                    </TableCell>
                    <TableCell>
                      {groupKind(resource.group, resource.kind)}
                    </TableCell>
                    <TableCell>
                      {resource.namespace ? `${resource.namespace}/` : ''}
                      {resource.name}
                    </TableCell>
                    <TableCell>
                      <SyncStatusChip status={resource.syncStatus} />
                    </TableCell>
                    <TableCell>
                      {resource.health ? (
                        <HealthChip health={resource.health} />
                      ) : (
                        '—'
                      )}
                    </TableCell>
                    <TableCell>
                      {resource.requiresPruning ? 'Yes' : 'No'}
                    </TableCell>
                  </TableRow>
                  {open && (
                    <TableRow>
                      <TableCell colSpan={6}>
                        <DriftDetails
                          resource={resource}
                          drift={drift}
                          onRetry={loadDrift}
                        />
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
