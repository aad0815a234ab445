// Plain-text output of the command line: aligned tables and amounts of money, for people; `--json` skips these.

export type Column<Row> = { header: string; value: (row: Row) => string; align?: 'left' | 'right' };

/** A header line and one line per row, each column as wide as its widest cell; no trailing spaces. */
export function formatTable<Row>(rows: readonly Row[], columns: Column<Row>[]): string {
  const cells = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((column) => column.value(row))),
  ];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]!.length)));
  return cells
    .map((line) =>
      line
        .map((cell, index) =>
          columns[index]!.align === 'right' ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * USD with as many decimals as the amount needs (at least two), up to the 10 that costs are stored with: a reply costs
 * fractions of a cent, which a fixed two or six decimals would hide.
 */
export function formatUsd(amount: number): string {
  const digits = Math.abs(amount)
    .toFixed(10)
    .replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${amount < 0 ? '-' : ''}$${digits}`;
}

/** A value of a model's field or change, as a person reads it: strings bare, null as "-", the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
