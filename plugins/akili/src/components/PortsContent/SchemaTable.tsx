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
            <TableCell>Column</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Physical type</TableCell>
            <TableCell align="center">Required</TableCell>
            <TableCell align="center">PK</TableCell>
            <TableCell>Description</TableCell>
            <TableCell>Classification</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.columns.map(column => (
            <TableRow key={column.name}>
              <TableCell component="th" scope="row">
                <code>{column.name}</code>
              </TableCell>
              <TableCell>{column.type}</TableCell>
              <TableCell>
                {column.physicalType ? <code>{column.physicalType}</code> : ''}
              </TableCell>
              <TableCell align="center">
                <Flag on={column.required} label="required" />
              </TableCell>
              <TableCell align="center">
                <Flag on={column.primaryKey} label="primary key" />
              </TableCell>
              <TableCell>{column.description}</TableCell>
              <TableCell>
                <ClassificationChip classification={column.classification} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
