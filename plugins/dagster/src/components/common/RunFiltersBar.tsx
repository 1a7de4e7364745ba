import { ReactNode } from 'react';
import {
  Box,
  Checkbox,
  FormControl,
  InputLabel,
  ListItemText,
  MenuItem,
  Select,
  makeStyles,
} from '@material-ui/core';
import {
  DAGSTER_RUN_STATUSES,
  DagsterRunStatus,
} from '@akili/plugin-dagster-common';
import {
  RunFilters,
  TIME_RANGES,
  TimeRange,
  statusLabel,
} from '../../lib/runs';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-end',
    marginBottom: theme.spacing(2),
  },
  select: {
    minWidth: 180,
  },
}));

/**
 * Status (several at once) and time range of a run list; `children` adds further filters
 * (product and job on the operators' page).
 */
export const RunFiltersBar = (props: {
  idPrefix: string;
  filters: RunFilters;
  onChange: (filters: RunFilters) => void;
  children?: ReactNode;
}) => {
  const { idPrefix, filters, onChange } = props;
  const classes = useStyles();
  const statusId = `${idPrefix}-status`;
  const rangeId = `${idPrefix}-range`;
  return (
    <Box className={classes.root} role="search" aria-label="Run filters">
      <FormControl className={classes.select}>
        <InputLabel id={`${statusId}-label`} shrink>
          Status
        </InputLabel>
        <Select
          labelId={`${statusId}-label`}
          id={statusId}
          multiple
          value={filters.statuses}
          onChange={e =>
            onChange({
              ...filters,
              statuses: (e.target.value as DagsterRunStatus[]).filter(s =>
                DAGSTER_RUN_STATUSES.includes(s),
              ),
            })
          }
          renderValue={selected =>
            (selected as string[]).length
              ? (selected as string[]).map(statusLabel).join(', ')
              : 'Any'
          }
          displayEmpty
        >
          {DAGSTER_RUN_STATUSES.map(status => (
            <MenuItem key={status} value={status}>
              <Checkbox
                size="small"
                checked={filters.statuses.includes(status)}
              />
              <ListItemText primary={statusLabel(status)} />
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl className={classes.select}>
        <InputLabel id={`${rangeId}-label`}>Created</InputLabel>
        <Select
          labelId={`${rangeId}-label`}
          id={rangeId}
          value={filters.range}
          onChange={e =>
            onChange({ ...filters, range: e.target.value as TimeRange })
          }
        >
          <MenuItem value="all">Any time</MenuItem>
          {TIME_RANGES.map(range => (
            <MenuItem key={range.value} value={range.value}>
              {range.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      {props.children}
    </Box>
  );
};
