import { Box, makeStyles, Typography } from '@material-ui/core';
import type { MaskedColumn } from '@akili/plugin-starrocks-common';
import type { ResultColumnInfo } from '../../lib/sql';
import { MaskedMarker } from './MaskedMarker';
import { ColumnFacts, RuleList } from './SchemaFacts';

const useStyles = makeStyles(theme => ({
  root: {
    maxHeight: 460,
    overflowY: 'auto',
  },
  item: {
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  selected: {
    backgroundColor: theme.palette.action.selected,
  },
  name: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12,
    fontWeight: 600,
  },
}));

/**
 * Beside the grid: each result column with what the manifest says about it (description,
 * classification, contract rules) when it matches a column of a table the statement names,
 * and whether the server masked it.
 */
export const ResultColumns = (props: {
  columns: ResultColumnInfo[];
  masked: MaskedColumn[];
  selected?: string;
}) => {
  const { columns, masked, selected } = props;
  const classes = useStyles();
  const maskedNames = new Set(masked.map(m => m.column.toLowerCase()));
  return (
    <Box className={classes.root} role="list" aria-label="Result columns">
      {columns.map(({ column, table, schema }, index) => (
        <div
          key={`${column.name}-${index}`}
          role="listitem"
          className={`${classes.item} ${
            selected === column.name ? classes.selected : ''
          }`}
        >
          <Typography className={classes.name} component="div">
            {column.name}{' '}
            {maskedNames.has(column.name.toLowerCase()) && <MaskedMarker />}
          </Typography>
          {schema && table ? (
            <>
              <Typography variant="caption" color="textSecondary">
                from {table.qualifiedName}
              </Typography>
              <ColumnFacts column={schema} />
              <RuleList
                rules={table.rules.filter(rule =>
                  schema.rules.includes(rule.name),
                )}
              />
            </>
          ) : (
            <Typography variant="caption" color="textSecondary">
              {column.type} · computed or renamed: no manifest column
            </Typography>
          )}
        </div>
      ))}
    </Box>
  );
};
