// PostgreSQL allows 65,535 parameters per statement, and a model row takes about 20: statements over many rows
// (or ids) go in parts of this many.
export const ROWS_PER_STATEMENT = 1_000;

export function inParts<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}
