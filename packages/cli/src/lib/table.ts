/*
 * Plain-text tables for a terminal: columns padded to the widest value seen, each bounded so a
 * long value cannot push the others off the screen.
 */

/** The widest a column grows; longer values are cut with an ellipsis. */
export const MAX_COLUMN_WIDTH = 40;

/**
 * Text from the portal made safe for a terminal: control characters shown as spaces (a newline
 * would break a row, an escape sequence from the data would drive the terminal).
 */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ');
}

/** A cell as printed: {@link printable}, padded or cut to `width`. */
export function fitCell(text: string, width: number): string {
  const flat = printable(text);
  const chars = Array.from(flat);
  if (chars.length <= width) {
    return flat + ' '.repeat(width - chars.length);
  }
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Column widths for a header and rows, each at most {@link MAX_COLUMN_WIDTH}. */
export function columnWidths(header: string[], rows: string[][]): number[] {
  return header.map((name, i) =>
    Math.min(
      MAX_COLUMN_WIDTH,
      Math.max(
        Array.from(name).length,
        ...rows.map(row => Array.from(row[i] ?? '').length),
      ),
    ),
  );
}

/** One line of a table: cells padded or cut to `widths`, two spaces apart, no trailing blanks. */
export function tableLine(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => fitCell(cell, widths[i]))
    .join('  ')
    .trimEnd();
}

/** A whole table, header first, as lines. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = columnWidths(header, rows);
  return [header, ...rows].map(row => tableLine(row, widths));
}
