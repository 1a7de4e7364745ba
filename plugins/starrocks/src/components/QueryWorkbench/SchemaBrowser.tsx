import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  makeStyles,
  TextField,
  Typography,
} from '@material-ui/core';
import { TreeItem, TreeView } from '@material-ui/lab';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { SchemaColumn, SchemaTable } from '@akili/plugin-starrocks-common';
import { ClassificationChip } from '@akili/plugin-akili-react';
import { MaskedMarker } from './MaskedMarker';
import { ColumnFacts, ContractFacts, RuleList } from './SchemaFacts';

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.25, 0),
    minWidth: 0,
  },
  name: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  table: {
    display: 'flex',
    flexDirection: 'column',
    padding: theme.spacing(0.25, 0),
    minWidth: 0,
  },
  qualifier: {
    color: theme.palette.text.secondary,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 11,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  type: {
    color: theme.palette.text.secondary,
    fontSize: 11,
    marginLeft: 'auto',
  },
  details: {
    borderTop: `1px solid ${theme.palette.divider}`,
    marginTop: theme.spacing(1),
    paddingTop: theme.spacing(1),
  },
}));

const ColumnLabel = (props: { column: SchemaColumn }) => {
  const { column } = props;
  const classes = useStyles();
  return (
    <span className={classes.label}>
      <span className={classes.name}>{column.name}</span>
      {column.masked && <MaskedMarker />}
      {column.classification && column.classification !== 'internal' && (
        <ClassificationChip classification={column.classification} />
      )}
      <span className={classes.type}>{column.physicalType ?? column.type}</span>
    </span>
  );
};

const nodeId = (table: SchemaTable, column?: SchemaColumn) =>
  column ? `${table.qualifiedName}#${column.name}` : table.qualifiedName;

/**
 * The tables the tenant may query with their columns (classification chip, masked marker); the
 * selected table or column shows its description, contract and quality rules below the tree.
 */
export const SchemaBrowser = (props: {
  tables: SchemaTable[];
  onQueryTable(table: SchemaTable): void;
}) => {
  const { tables, onQueryTable } = props;
  const classes = useStyles();
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string>('');

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (!needle) return tables;
    return tables.filter(
      table =>
        table.qualifiedName.toLowerCase().includes(needle) ||
        (table.productTitle ?? '').toLowerCase().includes(needle) ||
        table.columns.some(c => c.name.toLowerCase().includes(needle)),
    );
  }, [tables, filter]);

  const selection = useMemo(() => {
    for (const table of tables) {
      if (nodeId(table) === selected) return { table };
      const column = table.columns.find(c => nodeId(table, c) === selected);
      if (column) return { table, column };
    }
    return undefined;
  }, [tables, selected]);

  return (
    <Box>
      <TextField
        id="starrocks-schema-filter"
        label="Filter tables and columns"
        size="small"
        fullWidth
        variant="outlined"
        value={filter}
        onChange={e => setFilter(e.target.value)}
      />
      <TreeView
        aria-label="Tables"
        defaultCollapseIcon={<ExpandMoreIcon />}
        defaultExpandIcon={<ChevronRightIcon />}
        selected={selected}
        onNodeSelect={(_e: unknown, id: string) => setSelected(id)}
        style={{ marginTop: 8, maxHeight: 420, overflowY: 'auto' }}
      >
        {shown.map(table => (
          <TreeItem
            key={nodeId(table)}
            nodeId={nodeId(table)}
            label={
              // The table's own name first: the catalog and database, shared by many tables,
              // would push it out of a narrow panel.
              <span className={classes.table} title={table.qualifiedName}>
                <span className={classes.name}>
                  <strong>{table.table}</strong>
                  {table.productTitle ? ` · ${table.productTitle}` : ''}
                </span>
                <span className={classes.qualifier}>
                  {table.qualifiedName.slice(
                    0,
                    table.qualifiedName.length - table.table.length - 1,
                  )}
                </span>
              </span>
            }
          >
            {table.columns.map(column => (
              <TreeItem
                key={nodeId(table, column)}
                nodeId={nodeId(table, column)}
                label={<ColumnLabel column={column} />}
              />
            ))}
          </TreeItem>
        ))}
      </TreeView>
      {selection && (
        <Box
          className={classes.details}
          role="region"
          aria-label="Selected table details"
        >
          <Typography variant="subtitle2">
            {selection.column
              ? `${selection.table.table}.${selection.column.name}`
              : selection.table.qualifiedName}
          </Typography>
          {selection.column ? (
            <>
              <ColumnFacts column={selection.column} />
              <RuleList
                rules={selection.table.rules.filter(rule =>
                  selection.column!.rules.includes(rule.name),
                )}
              />
            </>
          ) : (
            <>
              <Typography variant="body2" color="textSecondary">
                {selection.table.productTitle ?? selection.table.entityRef} ·
                port {selection.table.portTitle ?? selection.table.port}
              </Typography>
              {selection.table.description && (
                <Typography variant="body2">
                  {selection.table.description}
                </Typography>
              )}
              <ContractFacts contract={selection.table.contract} />
              <RuleList rules={selection.table.rules} />
              <Button
                size="small"
                variant="outlined"
                onClick={() => onQueryTable(selection.table)}
                style={{ marginTop: 8 }}
              >
                Query this table
              </Button>
            </>
          )}
        </Box>
      )}
    </Box>
  );
};
