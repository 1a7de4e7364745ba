import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { DeploymentHistoryEntry } from '@akili/plugin-argocd-common';
import { initiatorLabel } from '../../lib/format';
import { RelativeTime, Revision } from '../common/bits';

/** The Application's sync history, newest first (ArgoCD keeps the last few). */
export const HistoryTable = (props: {
  history: DeploymentHistoryEntry[];
  now: number;
}) => {
  const newestFirst = [...props.history].reverse();
  return (
    <InfoCard title="Sync history" noPadding>
      {newestFirst.length === 0 ? (
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No sync yet.
          </Typography>
        </Box>
      ) : (
        <Table size="small" aria-label="Sync history">
          <TableHead>
            <TableRow>
              <TableCell>Revision</TableCell>
              <TableCell>Started</TableCell>
              <TableCell>Finished</TableCell>
              <TableCell>Initiated by</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {newestFirst.map(entry => (
              <TableRow key={entry.id}>
                <TableCell>
                  <Revision revision={entry.revision} />
                </TableCell>
                <TableCell>
                  <RelativeTime iso={entry.deployStartedAt} now={props.now} />
                </TableCell>
                <TableCell>
                  <RelativeTime iso={entry.deployedAt} now={props.now} />
                </TableCell>
                <TableCell>{initiatorLabel(entry.initiatedBy)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
