import {
  CSSProperties,
  forwardRef,
  HTMLAttributes,
  useCallback,
  useMemo,
  useRef,
} from 'react';
import { FixedSizeList, ListChildComponentProps } from 'react-window';
import { makeStyles } from '@material-ui/core';
import type {
  QueryCellValue,
  QueryResultColumn,
} from '@akili/plugin-starrocks-common';
import { formatCell } from '../../lib/format';

/** Height of a row in pixels: fixed, so the list can place any row without measuring. */
export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 32;
const INDEX_WIDTH = 64;

const useStyles = makeStyles(theme => ({
  grid: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12,
    overflow: 'hidden',
  },
  header: {
    display: 'flex',
    height: HEADER_HEIGHT,
    overflow: 'hidden',
    borderBottom: `1px solid ${theme.palette.divider}`,
    backgroundColor: theme.palette.background.default,
    fontWeight: 600,
  },
  row: {
    display: 'flex',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  cell: {
    flex: 'none',
    padding: theme.spacing(0.5, 1),
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    lineHeight: `${ROW_HEIGHT - 9}px`,
    borderRight: `1px solid ${theme.palette.divider}`,
  },
  headerCell: {
    cursor: 'pointer',
    lineHeight: `${HEADER_HEIGHT - 9}px`,
  },
  selected: {
    backgroundColor: theme.palette.action.selected,
  },
  index: {
    color: theme.palette.text.secondary,
    textAlign: 'right',
  },
  null: {
    color: theme.palette.text.disabled,
    fontStyle: 'italic',
  },
  number: {
    textAlign: 'right',
  },
}));

const NUMERIC_TYPES =
  /^(TINY|SHORT|LONG|LONGLONG|INT24|FLOAT|DOUBLE|DECIMAL|NEWDECIMAL|YEAR)$/i;

/** Column widths from the name and the first rows' values: 80 to 400 pixels. */
function columnWidths(
  columns: QueryResultColumn[],
  rows: QueryCellValue[][],
): number[] {
  return columns.map((column, index) => {
    let chars = column.name.length;
    for (const row of rows.slice(0, 200)) {
      chars = Math.max(chars, formatCell(row[index]).length);
    }
    return Math.min(400, Math.max(80, chars * 7.5 + 20));
  });
}

interface RowData {
  rows: QueryCellValue[][];
  widths: number[];
  numeric: boolean[];
  classes: ReturnType<typeof useStyles>;
}

const Row = ({ index, style, data }: ListChildComponentProps<RowData>) => {
  const { rows, widths, numeric, classes } = data;
  const row = rows[index];
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      style={style}
    >
      <div
        role="rowheader"
        className={`${classes.cell} ${classes.index}`}
        style={{ width: INDEX_WIDTH }}
      >
        {index + 1}
      </div>
      {widths.map((width, column) => {
        const value = row?.[column];
        const classNames = [classes.cell];
        if (value === null) classNames.push(classes.null);
        else if (numeric[column]) classNames.push(classes.number);
        const text = formatCell(value);
        return (
          <div
            key={column}
            role="gridcell"
            aria-colindex={column + 2}
            className={classNames.join(' ')}
            style={{ width }}
            title={text.length > 40 ? text : undefined}
          >
            {text}
          </div>
        );
      })}
    </div>
  );
};

/** Props of {@link ResultsGrid}. */
export interface ResultsGridProps {
  columns: QueryResultColumn[];
  /** The rows so far; the grid shows new rows as the count grows. */
  rows: QueryCellValue[][];
  rowCount: number;
  /** Height of the scrolling body in pixels. */
  height?: number;
  selectedColumn?: string;
  onSelectColumn?(name: string): void;
}

/**
 * The result as a grid (ARIA `grid` with `aria-rowcount`): a header row, then only the rows in
 * view (react-window), so 100,000 rows scroll like 100. The header follows the body's
 * horizontal scroll.
 */
export const ResultsGrid = (props: ResultsGridProps) => {
  const { columns, rows, rowCount, selectedColumn, onSelectColumn } = props;
  const classes = useStyles();
  const header = useRef<HTMLDivElement>(null);
  // Widths are measured once per result, from its first rows.
  const widths = useMemo(
    () => columnWidths(columns, rows),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns, rows, rowCount > 0],
  );
  const numeric = useMemo(
    () => columns.map(c => NUMERIC_TYPES.test(c.type)),
    [columns],
  );
  const totalWidth = INDEX_WIDTH + widths.reduce((sum, w) => sum + w, 0);
  const height = Math.min(
    props.height ?? 420,
    Math.max(rowCount, 1) * ROW_HEIGHT + 16,
  );

  const Inner = useMemo(
    () =>
      forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(
        ({ style, ...rest }, ref) => (
          <div
            ref={ref}
            role="rowgroup"
            style={{ ...(style as CSSProperties), width: totalWidth }}
            {...rest}
          />
        ),
      ),
    [totalWidth],
  );

  const onScroll = useCallback((event: Event) => {
    if (header.current) {
      header.current.scrollLeft = (event.target as HTMLElement).scrollLeft;
    }
  }, []);
  const outerRef = useCallback(
    (element: HTMLDivElement | null) => {
      element?.addEventListener('scroll', onScroll, { passive: true });
    },
    [onScroll],
  );

  const itemData = useMemo<RowData>(
    () => ({ rows, widths, numeric, classes }),
    // rowCount: the same array grows while the result streams in.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, rowCount, widths, numeric, classes],
  );

  return (
    <div
      role="grid"
      aria-label="Query result"
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length + 1}
      className={classes.grid}
    >
      <div ref={header} className={classes.header}>
        <div
          role="row"
          aria-rowindex={1}
          style={{ display: 'flex', width: totalWidth }}
        >
          <div
            role="columnheader"
            className={`${classes.cell} ${classes.index}`}
            style={{ width: INDEX_WIDTH }}
          >
            #
          </div>
          {columns.map((column, index) => (
            <div
              key={`${column.name}-${index}`}
              role="columnheader"
              aria-colindex={index + 2}
              aria-selected={selectedColumn === column.name}
              className={`${classes.cell} ${classes.headerCell} ${
                selectedColumn === column.name ? classes.selected : ''
              }`}
              style={{ width: widths[index] }}
              title={`${column.name} (${column.type})`}
              tabIndex={0}
              onClick={() => onSelectColumn?.(column.name)}
              onKeyDown={event => {
                if (event.key === 'Enter' || event.key === ' ') {
                  onSelectColumn?.(column.name);
                }
              }}
            >
              {column.name}
            </div>
          ))}
        </div>
      </div>
      <FixedSizeList
        height={height}
        width="100%"
        itemCount={rowCount}
        itemSize={ROW_HEIGHT}
        itemData={itemData}
        innerElementType={Inner}
        outerRef={outerRef}
        overscanCount={10}
      >
        {Row}
      </FixedSizeList>
    </div>
  );
};
