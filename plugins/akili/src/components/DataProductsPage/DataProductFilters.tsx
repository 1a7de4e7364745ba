import {
  Box,
  FormControl,
  InputAdornment,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  makeStyles,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import {
  FilterOptions,
  MarketplaceFilters,
  formatOwner,
} from '../../lib/marketplace';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-end',
    marginBottom: theme.spacing(3),
  },
  search: {
    flex: '1 1 280px',
  },
  select: {
    minWidth: 160,
  },
}));

type SelectKey = Exclude<keyof MarketplaceFilters, 'q'>;

const SELECTS: Array<{
  key: SelectKey;
  label: string;
  format?: (value: string) => string;
}> = [
  { key: 'tenant', label: 'Tenant' },
  { key: 'domain', label: 'Domain' },
  { key: 'type', label: 'Type' },
  { key: 'owner', label: 'Owner', format: formatOwner },
  { key: 'tag', label: 'Tag' },
];

/** Free-text search and one select per facet; `children` are more filters (quality). */
export const DataProductFilters = (props: {
  filters: MarketplaceFilters;
  options: FilterOptions;
  onChange: (filters: MarketplaceFilters) => void;
  children?: React.ReactNode;
}) => {
  const { filters, options, onChange } = props;
  const classes = useStyles();
  return (
    <Box className={classes.root} role="search">
      <TextField
        className={classes.search}
        label="Search"
        placeholder="Name, description, tag or column"
        value={filters.q ?? ''}
        onChange={e => onChange({ ...filters, q: e.target.value })}
        inputProps={{ 'aria-label': 'Search data products' }}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon />
            </InputAdornment>
          ),
        }}
      />
      {SELECTS.map(({ key, label, format }) => {
        const current = filters[key];
        // A value from a shared link may no longer exist; keep it selectable.
        const values =
          current && !options[key].includes(current)
            ? [current, ...options[key]]
            : options[key];
        const id = `akili-filter-${key}`;
        return (
          <FormControl key={key} className={classes.select}>
            {/* shrink: the empty value renders "Any", which the label must not cover */}
            <InputLabel id={`${id}-label`} shrink>
              {label}
            </InputLabel>
            <Select
              labelId={`${id}-label`}
              id={id}
              value={current ?? ''}
              displayEmpty
              onChange={e =>
                onChange({
                  ...filters,
                  [key]: (e.target.value as string) || undefined,
                })
              }
              renderValue={value =>
                value ? (format ?? String)(value as string) : 'Any'
              }
              SelectDisplayProps={
                {
                  // The name holds the shown value too (WCAG 2.5.3, label in name).
                  'aria-label': `${label} filter: ${
                    current ? (format ?? String)(current) : 'Any'
                  }`,
                } as React.HTMLAttributes<HTMLDivElement>
              }
            >
              <MenuItem value="">Any</MenuItem>
              {values.map(value => (
                <MenuItem key={value} value={value}>
                  {format ? format(value) : value}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        );
      })}
      {props.children}
    </Box>
  );
};
