import type { QualityRule } from '@akili/plugin-akili-common';
import { RuleExpectation } from '@akili/plugin-akili-react';
import {
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { SeverityChip } from '../common/Chips';

/**
 * Quality rules with what they measure, the accepted range and how bad a failure is; rules
 * another engine checks say so and open on their implementation.
 */
export const QualityRulesTable = (props: {
  rules: QualityRule[];
  caption: string;
}) => {
  if (props.rules.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No quality rules are declared for this port.
      </Typography>
    );
  }
  return (
    <TableContainer>
      <Table size="small" aria-label={props.caption}>
        <TableHead>
          <TableRow>
            <TableCell>Rule</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Column</TableCell>
            <TableCell>Metric or query</TableCell>
            <TableCell>Expectation</TableCell>
            <TableCell>Dimension</TableCell>
            <TableCell>Severity</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.rules.map(rule => (
            <TableRow key={rule.name}>
              <TableCell component="th" scope="row">
                <code>{rule.name}</code>
                {rule.description && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {rule.description}
                  </Typography>
                )}
              </TableCell>
              <TableCell>{rule.type}</TableCell>
              <TableCell>{rule.column && <code>{rule.column}</code>}</TableCell>
              <TableCell>
                {rule.metric ??
                  (rule.query && (
                    <code style={{ whiteSpace: 'pre-wrap' }}>{rule.query}</code>
                  ))}
              </TableCell>
              <TableCell>
                <RuleExpectation rule={rule} />
              </TableCell>
              <TableCell>{rule.dimension}</TableCell>
              <TableCell>
                <SeverityChip severity={rule.severity} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
