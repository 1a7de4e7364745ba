import {
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  makeStyles,
} from '@material-ui/core';
import { qualityStatusLabel } from '@akili/plugin-akili-react';
import {
  QUALITY_STATUSES,
  QualityProductScore,
  QualityStatus,
} from '@akili/plugin-quality-common';

const useStyles = makeStyles({
  select: {
    minWidth: 160,
  },
});

/** The query-string key of the quality filter. */
export const QUALITY_FILTER_KEY = 'quality';

/** A quality status from the query string; anything else is no filter. */
export function parseQualityFilter(
  value: string | null,
): QualityStatus | undefined {
  return (QUALITY_STATUSES as readonly string[]).includes(value ?? '')
    ? (value as QualityStatus)
    : undefined;
}

/**
 * What the Data Products page knows of a product's quality: its score, `unavailable` when its
 * tenant's scores could not be read, or `undefined` while they load.
 */
export type ProductQuality = QualityProductScore | 'unavailable' | undefined;

/**
 * Whether a product passes the quality filter: a product of a tenant that answered without
 * a score for it is `unknown`; a product whose quality is unavailable matches no status.
 */
export function matchesQualityFilter(
  quality: ProductQuality,
  status: QualityStatus | undefined,
): boolean {
  if (!status) return true;
  if (quality === undefined || quality === 'unavailable') return false;
  return quality.status === status;
}

/** The quality status select of the Data Products page. */
export const QualityFilter = (props: {
  value: QualityStatus | undefined;
  disabled?: boolean;
  onChange: (status: QualityStatus | undefined) => void;
}) => {
  const classes = useStyles();
  const id = 'akili-filter-quality';
  return (
    <FormControl className={classes.select} disabled={props.disabled}>
      <InputLabel id={`${id}-label`} shrink>
        Quality
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={props.value ?? ''}
        displayEmpty
        onChange={e =>
          props.onChange(parseQualityFilter(e.target.value as string))
        }
        renderValue={value =>
          value ? qualityStatusLabel(value as string) : 'Any'
        }
        SelectDisplayProps={
          {
            // The name holds the shown value too (WCAG 2.5.3, label in name).
            'aria-label': `Quality filter: ${
              props.value ? qualityStatusLabel(props.value) : 'Any'
            }`,
          } as React.HTMLAttributes<HTMLDivElement>
        }
      >
        <MenuItem value="">Any</MenuItem>
        {QUALITY_STATUSES.map(status => (
          <MenuItem key={status} value={status}>
            {qualityStatusLabel(status)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
};
