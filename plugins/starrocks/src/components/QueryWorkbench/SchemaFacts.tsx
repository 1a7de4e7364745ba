import { Box, makeStyles, Typography } from '@material-ui/core';
import type { DataContract, QualityRule } from '@akili/plugin-akili-common';
import type { SchemaColumn } from '@akili/plugin-starrocks-common';
import {
  ClassificationChip,
  RuleExpectation,
  SeverityChip,
} from '@akili/plugin-akili-react';
import { MaskedMarker } from './MaskedMarker';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
  rules: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2),
  },
}));

/** A column's description, classification, flags and masking. */
export const ColumnFacts = (props: { column: SchemaColumn }) => {
  const { column } = props;
  const classes = useStyles();
  const flags = [
    column.primaryKey && 'primary key',
    column.unique && 'unique',
    column.required && 'required',
  ].filter(Boolean);
  return (
    <Box>
      {column.description && (
        <Typography variant="body2">{column.description}</Typography>
      )}
      <div className={classes.row}>
        <ClassificationChip classification={column.classification} />
        <Typography variant="caption" color="textSecondary">
          {column.physicalType ?? column.type}
          {flags.length > 0 && ` · ${flags.join(', ')}`}
        </Typography>
        {column.masked && (
          <Typography variant="caption" color="textSecondary">
            <MaskedMarker /> masked for you
          </Typography>
        )}
      </div>
    </Box>
  );
};

/** A port's data contract terms: version, status, usage, limitations. */
export const ContractFacts = (props: { contract?: DataContract }) => {
  const { contract } = props;
  if (!contract) return null;
  return (
    <Box mt={1}>
      <Typography variant="caption" color="textSecondary" component="p">
        Contract {contract.id ?? ''} v{contract.version}
        {contract.status && ` (${contract.status})`}
      </Typography>
      {contract.usage && (
        <Typography variant="body2">Usage: {contract.usage}</Typography>
      )}
      {contract.limitations && (
        <Typography variant="body2">
          Limitations: {contract.limitations}
        </Typography>
      )}
    </Box>
  );
};

/** Quality rules: name, metric, expectation (or the engine that checks it elsewhere) and severity. */
export const RuleList = (props: { rules: QualityRule[] }) => {
  const classes = useStyles();
  if (props.rules.length === 0) return null;
  return (
    <ul className={classes.rules} aria-label="Quality rules">
      {props.rules.map(rule => (
        <li key={rule.name}>
          <Typography variant="body2" component="div">
            {rule.name} <code>{rule.metric ?? rule.type}</code>{' '}
            <RuleExpectation rule={rule} />{' '}
            <SeverityChip severity={rule.severity} />
          </Typography>
        </li>
      ))}
    </ul>
  );
};
