import { useState } from 'react';
import { Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { errorStatus } from '@akili/plugin-akili-react';
import { PluginErrorPanel } from '@akili/plugin-akili-react/components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { argocdApiRef } from '../../api';

/** The line counts a user may pick (the backend allows 1 to 5000). */
export const TAIL_LINE_CHOICES = [100, 500, 1000, 5000] as const;
const DEFAULT_TAIL_LINES = 500;

const useStyles = makeStyles(theme => ({
  log: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    padding: theme.spacing(1),
    maxHeight: '60vh',
    overflow: 'auto',
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
  },
}));

/** A pod whose log may be shown, as the workloads list knows it. */
export interface PodLogsTarget {
  cluster: string;
  namespace: string;
  pod: string;
  /** The pod's containers; the first is shown unless `container` names another. */
  containers: string[];
  container?: string;
}

const KUBERNETES_DOWN = {
  matches: (error: unknown) => errorStatus(error) === 503,
  severity: 'warning' as const,
  title: 'Kubernetes does not answer',
  description: (what: string) =>
    `The portal could not reach the cluster to read ${what}. Try again in a moment.`,
  showDetails: true,
};

/**
 * The last lines of one container of one of the product's pods, through the Kubernetes
 * backend's tenant-bound logs route: a monospace, scrollable view with the container and the
 * number of lines to pick, and "Refresh".
 */
export const PodLogsDialog = (props: {
  entity: Entity;
  target: PodLogsTarget;
  onClose: () => void;
}) => {
  const { entity, target, onClose } = props;
  const classes = useStyles();
  const api = useApi(argocdApiRef);
  const [container, setContainer] = useState(
    target.container ?? target.containers[0],
  );
  const [tailLines, setTailLines] = useState<number>(DEFAULT_TAIL_LINES);

  const logs = useAsyncRetry(
    () =>
      api.getPodLogs({
        entity: {
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        },
        cluster: target.cluster,
        namespace: target.namespace,
        pod: target.pod,
        container,
        tailLines,
      }),
    [api, entity, target, container, tailLines],
  );

  const what = `the log of ${target.pod} (${container})`;
  const titleId = `pod-logs-${target.namespace}-${target.pod}`;
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        Logs of {target.pod}
        <Typography variant="body2" color="textSecondary" component="div">
          {target.namespace} on cluster {target.cluster}
        </Typography>
      </DialogTitle>
      <DialogContent>
        <Box display="flex" mb={2} style={{ gap: 16 }}>
          {target.containers.length > 1 && (
            <TextField
              select
              id="pod-logs-container"
              label="Container"
              value={container}
              onChange={e => setContainer(e.target.value)}
              size="small"
              variant="outlined"
            >
              {target.containers.map(c => (
                <MenuItem key={c} value={c}>
                  {c}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            select
            id="pod-logs-tail-lines"
            label="Last lines"
            value={tailLines}
            onChange={e => setTailLines(Number(e.target.value))}
            size="small"
            variant="outlined"
          >
            {TAIL_LINE_CHOICES.map(n => (
              <MenuItem key={n} value={n}>
                {n}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {logs.loading && <Progress />}
        {!logs.loading && logs.error && (
          <PluginErrorPanel
            error={logs.error}
            what={what}
            cases={[KUBERNETES_DOWN]}
            notFound={`${target.pod} is no longer one of ${entity.metadata.name}'s pods, or no longer runs.`}
            onRetry={logs.retry}
          />
        )}
        {!logs.loading && logs.value && logs.value.text === '' && (
          <Typography variant="body2" color="textSecondary">
            {container} of {target.pod} has logged nothing yet.
          </Typography>
        )}
        {!logs.loading && logs.value && logs.value.text !== '' && (
          <pre
            className={classes.log}
            aria-label={`Log of ${target.pod} (${container})`}
          >
            {logs.value.text}
          </pre>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={logs.retry} disabled={logs.loading}>
          Refresh
        </Button>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};
