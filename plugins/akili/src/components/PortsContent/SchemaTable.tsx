import type { DataProductColumn } from '@akili/plugin-akili-common';
import {
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import { ClassificationChip } from '../common/Chips';

// Names, types and flags are short tokens: they never break inside a word. The description
// takes the remaining width and wraps; a narrow window scrolls the table sideways instead.
const noWrap = { whiteSpace: 'nowrap' } as const;
const descriptionCell = { minWidth: 240 } as const;

const Flag = (props: { on?: boolean; label: string }) =>
  props.on ? (
    <CheckIcon fontSize="small" titleAccess={props.label} />
  ) : (
    <Typography variant="body2" color="textSecondary" component="span">
      –
    </Typography>
  );

/** The columns of an output port with their types, keys and classifications. */
export const SchemaTable = (props: {
  columns: DataProductColumn[];
  caption: string;
}) => {
  if (props.columns.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This port declares no columns.
      </Typography>
    );
  }
  return (
    <TableContainer>
      <Table size="small" aria-label={props.caption}>
        <TableHead>
          <TableRow>
            <TableCell style={noWrap}>Column</TableCell>
            <TableCell style={noWrap}>Type</TableCell>
            <TableCell style={noWrap}>Physical type</TableCell>
            <TableCell align="center" style={noWrap}>
              Required
            </TableCell>
            <TableCell align="center" style={noWrap}>
              PK
            </TableCell>
            <TableCell style={noWrap}>Description</TableCell>
            <TableCell style={noWrap}>Classification</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.columns.map(column => (
            <TableRow key={column.name}>
              <TableCell component="th" scope="row" style={noWrap}>
                <code>{column.name}</code>
              </TableCell>
              <TableCell style={noWrap}>{column.type}</TableCell>
              <TableCell style={noWrap}>
                {column.physicalType ? <code>{column.physicalType}</code> : ''}
              </TableCell>
              <TableCell align="center">
                <Flag on={column.required} label="required" />
              </TableCell>
              <TableCell align="center">
                <Flag on={column.primaryKey} label="primary key" />
              </TableCell>
              <TableCell style={descriptionCell}>
                {column.description}
              </TableCell>
              <TableCell style={noWrap}>
                <ClassificationChip classification={column.classification} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
