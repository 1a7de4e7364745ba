import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { InputPort, OutputPort } from '@akili/plugin-akili-common';
import {
  Box,
  Chip,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { isPiiClassification } from '../../lib/dataProduct';
import { formatLocation, locationFormat } from '../../lib/format';
import { PiiBadge, UnresolvedChip } from '../common/Chips';
import { useDataProduct } from '../common/useDataProduct';
import { SchemaTable } from './SchemaTable';
import { UpstreamStatus, useUpstreamProducts } from './useUpstreamProducts';

const useStyles = makeStyles(theme => ({
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  location: {
    fontFamily: 'monospace',
    fontSize: '0.9rem',
  },
  source: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

const Source = (props: { port: InputPort; status: UpstreamStatus }) => {
  const classes = useStyles();
  const { port, status } = props;
  if (status.state === 'external') {
    return (
      <Box className={classes.source}>
        <Chip size="small" variant="outlined" label="external" />
        <span>
          {port.external?.system}: <code>{port.external?.location}</code>
        </span>
      </Box>
    );
  }
  if (status.state === 'invalid') {
    return (
      <Box className={classes.source}>
        <code>{status.text}</code>
        <Chip size="small" label="not a valid product reference" />
      </Box>
    );
  }
  return (
    <Box className={classes.source}>
      {status.state === 'unresolved' ? (
        <code>{status.ref}</code>
      ) : (
        <EntityRefLink entityRef={status.ref} />
      )}
      {port.port && (
        <span>
          port <code>{port.port}</code>
        </span>
      )}
      {status.state === 'unresolved' && (
        <UnresolvedChip entityRef={status.ref} />
      )}
      {status.state === 'resolved' && !status.portExists && (
        <Chip
          size="small"
          variant="outlined"
          label="port not found"
          title={`${status.ref} has no output port ${port.port}`}
        />
      )}
    </Box>
  );
};

const InputPortsCard = (props: {
  inputPorts: InputPort[];
  namespace: string;
}) => {
  const { statuses, loading, error } = useUpstreamProducts(
    props.inputPorts,
    props.namespace,
  );
  return (
    <InfoCard title="Input ports">
      {props.inputPorts.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          This product has no input ports: it reads no other product and no
          external source.
        </Typography>
      ) : (
        <>
          {loading && <Progress />}
          {error && (
            <WarningPanel
              severity="warning"
              title="Upstream products could not be checked"
              message={error.message}
            />
          )}
          <TableContainer>
            <Table size="small" aria-label="Input ports">
              <TableHead>
                <TableRow>
                  <TableCell>Input</TableCell>
                  <TableCell>Source</TableCell>
                  <TableCell>Description</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {props.inputPorts.map((port, i) => (
                  <TableRow key={port.name}>
                    <TableCell
                      component="th"
                      scope="row"
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      <code>{port.name}</code>
                    </TableCell>
                    <TableCell>
                      <Source port={port} status={statuses[i]} />
                    </TableCell>
                    <TableCell>
                      {port.description ?? port.external?.description}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </>
      )}
    </InfoCard>
  );
};

const OutputPortCard = (props: { port: OutputPort }) => {
  const classes = useStyles();
  const { port } = props;
  const format = locationFormat(port.location);
  const pii = port.schema.some(c => isPiiClassification(c.classification));
  return (
    <InfoCard
      title={port.title ?? port.name}
      subheader={port.title ? port.name : undefined}
    >
      <Box className={classes.meta}>
        <Chip size="small" color="primary" label={port.kind} />
        <span className={classes.location} aria-label="Location">
          {formatLocation(port.location)}
        </span>
        {format && <Chip size="small" variant="outlined" label={format} />}
        {pii && <PiiBadge />}
      </Box>
      {port.description && (
        <Typography variant="body2" paragraph>
          {port.description}
        </Typography>
      )}
      <SchemaTable columns={port.schema} caption={`Schema of ${port.name}`} />
    </InfoCard>
  );
};

/** The "Ports" tab: where the product reads from and what it publishes, with schemas. */
export const PortsContent = () => {
  const { spec, namespace } = useDataProduct();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InputPortsCard inputPorts={spec.inputPorts} namespace={namespace} />
      </Grid>
      {spec.outputPorts.length === 0 ? (
        <Grid item xs={12}>
          <InfoCard title="Output ports">
            <Typography variant="body2" color="textSecondary">
              This product publishes no output ports yet.
            </Typography>
          </InfoCard>
        </Grid>
      ) : (
        spec.outputPorts.map(port => (
          <Grid item xs={12} key={port.name}>
            <OutputPortCard port={port} />
          </Grid>
        ))
      )}
    </Grid>
  );
};
