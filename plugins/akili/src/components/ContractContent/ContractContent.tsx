import { InfoCard } from '@backstage/core-components';
import type {
  OutputPort,
  QualityRule,
  ServiceLevelObjectives,
} from '@akili/plugin-akili-common';
import { Box, Chip, Grid, Typography, makeStyles } from '@material-ui/core';
import {
  rulesForPort,
  slosForPort,
  unassignedRules,
} from '../../lib/dataProduct';
import { formatDuration, formatPercent } from '../../lib/format';
import { Fact } from '../common/Facts';
import { useDataProduct } from '../common/useDataProduct';
import { QualityRulesTable } from './QualityRulesTable';

const useStyles = makeStyles(theme => ({
  section: {
    marginTop: theme.spacing(3),
    marginBottom: theme.spacing(1),
  },
}));

const STATUS_COLORS: Record<string, 'primary' | 'default'> = {
  active: 'primary',
};

const Slos = (props: { slos: ServiceLevelObjectives }) => {
  const { freshness, availability } = props.slos;
  if (!freshness && !availability) {
    return (
      <Typography variant="body2" color="textSecondary">
        No service level objectives are declared for this port.
      </Typography>
    );
  }
  return (
    <ul aria-label="Service level objectives">
      {freshness && (
        <li>
          <Typography variant="body2">
            <strong>Freshness:</strong> the newest data is at most{' '}
            <span title={freshness.maxDelay}>
              {formatDuration(freshness.maxDelay)}
            </span>{' '}
            old
          </Typography>
        </li>
      )}
      {availability && (
        <li>
          <Typography variant="body2">
            <strong>Availability:</strong> {formatPercent(availability.target)}{' '}
            of the time
          </Typography>
        </li>
      )}
    </ul>
  );
};

const PortContractCard = (props: {
  port: OutputPort;
  rules: QualityRule[];
  slos: ServiceLevelObjectives;
}) => {
  const classes = useStyles();
  const { port, rules, slos } = props;
  const contract = port.contract;
  return (
    <InfoCard
      title={`Contract of ${port.title ?? port.name}`}
      subheader={port.title ? port.name : undefined}
    >
      {contract ? (
        <Grid container spacing={2} component="dl">
          <Fact label="Version">{contract.version}</Fact>
          <Fact label="Status">
            {contract.status && (
              <Chip
                size="small"
                label={contract.status}
                color={STATUS_COLORS[contract.status] ?? 'default'}
              />
            )}
          </Fact>
          <Fact label="Contract id">{contract.id}</Fact>
          <Fact label="Usage" gridSizes={{ xs: 12, md: 6 }}>
            {contract.usage}
          </Fact>
          <Fact label="Limitations" gridSizes={{ xs: 12, md: 6 }}>
            {contract.limitations}
          </Fact>
        </Grid>
      ) : (
        <Typography variant="body2" color="textSecondary">
          This port has no data contract terms yet.
        </Typography>
      )}
      <Typography variant="h6" component="h3" className={classes.section}>
        Quality rules
      </Typography>
      <QualityRulesTable
        rules={rules}
        caption={`Quality rules of ${port.name}`}
      />
      <Typography variant="h6" component="h3" className={classes.section}>
        Service level objectives
      </Typography>
      <Slos slos={slos} />
    </InfoCard>
  );
};

/** The "Contract" tab: per output port its contract terms, quality rules and SLOs. */
export const ContractContent = () => {
  const { spec } = useDataProduct();
  const orphans = unassignedRules(spec);
  if (spec.outputPorts.length === 0) {
    return (
      <InfoCard title="Contract">
        <Typography variant="body2" color="textSecondary">
          This product publishes no output ports, so it has no contracts yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Grid container spacing={3}>
      {spec.outputPorts.map(port => (
        <Grid item xs={12} key={port.name}>
          <PortContractCard
            port={port}
            rules={rulesForPort(spec, port.name)}
            slos={slosForPort(spec.slos, port.name)}
          />
        </Grid>
      ))}
      {orphans.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Rules not tied to one output port">
            <Box mb={1}>
              <Typography variant="body2" color="textSecondary">
                These rules name no port, or a port this product does not
                publish.
              </Typography>
            </Box>
            <QualityRulesTable
              rules={orphans}
              caption="Rules not tied to one output port"
            />
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
};
