// Usage over a period (replies, tokens and cost by model, by person or by day): what a period must be; the
// totals themselves come from the store (store/usage.ts).
import { AppError } from '../errors.ts';
import type { UsageQuery, UsageRow, UsageStore } from '../store/usage.ts';

export { USAGE_GROUPINGS, type UsageGrouping, type UsageQuery, type UsageRow } from '../store/usage.ts';

export function usageReport(usage: UsageStore, query: UsageQuery): Promise<UsageRow[]> {
  if (!(query.from < query.to)) throw new AppError('invalid_input', 'the usage period must start before it ends');
  return usage.report(query);
}
