import { useState } from 'react';
import { Entity } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { PodLogsDialog, PodLogsTarget } from './PodLogsDialog';

/** A pod as the Kubernetes backend lists it (the fields used here). */
export interface ListedPod {
  metadata?: { name?: string; namespace?: string };
  spec?: { containers?: Array<{ name?: string }> };
  status?: { phase?: string };
}

/**
 * The pods of one cluster with a "Logs" action per container, read through the Kubernetes
 * backend's tenant-bound logs route (the stock views read logs through the proxy, which is for
 * platform admins only).
 */
export const PodLogsList = (props: {
  entity: Entity;
  cluster: string;
  pods: ListedPod[];
}) => {
  const { entity, cluster } = props;
  const [target, setTarget] = useState<PodLogsTarget | undefined>();
  const pods = props.pods
    .filter(p => p.metadata?.name && p.metadata?.namespace)
    .map(p => ({
      name: p.metadata!.name!,
      namespace: p.metadata!.namespace!,
      phase: p.status?.phase,
      containers: (p.spec?.containers ?? [])
        .map(c => c.name)
        .filter((c): c is string => !!c),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  if (pods.length === 0) {
    return null;
  }
  return (
    <>
      <Typography variant="subtitle2">Pod logs on {cluster}</Typography>
      <Table size="small" aria-label={`Pod logs on ${cluster}`}>
        <TableHead>
          <TableRow>
            <TableCell>Pod</TableCell>
            <TableCell>Namespace</TableCell>
            <TableCell>Phase</TableCell>
            <TableCell>Logs</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {pods.map(pod => (
            <TableRow key={`${pod.namespace}/${pod.name}`}>
              <TableCell>{pod.name}</TableCell>
              <TableCell>{pod.namespace}</TableCell>
              <TableCell>{pod.phase ?? 'Unknown'}</TableCell>
              <TableCell>
                {(pod.containers.length > 0 ? pod.containers : [undefined]).map(
                  container => (
                    <Button
                      key={container ?? ''}
                      size="small"
                      variant="outlined"
                      style={{ marginRight: 8 }}
                      aria-label={`Logs of ${pod.name}${
                        container ? ` (${container})` : ''
                      }`}
                      onClick={() =>
                        setTarget({
                          cluster,
                          namespace: pod.namespace,
                          pod: pod.name,
                          containers: pod.containers,
                          container,
                        })
                      }
                    >
                      {pod.containers.length > 1 && container
                        ? `Logs: ${container}`
                        : 'Logs'}
                    </Button>
                  ),
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {target && (
        <PodLogsDialog
          entity={entity}
          target={target}
          onClose={() => setTarget(undefined)}
        />
      )}
    </>
  );
};
