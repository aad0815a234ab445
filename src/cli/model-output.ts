// How `chorus models …` shows the registry to a person: models, their changes and history, import results,
// repricing and usage reports. Pure: the commands fetch, these format.
import type { ModelFieldChange } from '../db/schema/models.ts';
import type { ImportResult } from '../registry/model-import.ts';
import type { ModelHistoryEntry, ModelRow } from '../registry/registry-service.ts';
import type { RepriceResult } from '../registry/repricing.ts';
import type { UsageGrouping, UsageRow } from '../registry/usage-report.ts';
import { formatTable, formatUsd, formatValue } from './output.ts';

/** Lists longer than this are cut short in tables (`--json` prints everything). */
const LIST_LIMIT = 50;

const price = (usdPerMillion: number | null | undefined) => (usdPerMillion == null ? '-' : formatUsd(usdPerMillion));
const count = (value: number) => value.toLocaleString('en-US');

export function modelTable(rows: readonly ModelRow[]): string {
  const table = formatTable(rows, [
    { header: 'id', value: (model) => model.id },
    { header: 'name', value: (model) => model.displayName ?? model.name },
    { header: 'status', value: (model) => model.status },
    { header: 'context', value: (model) => count(model.contextWindow), align: 'right' },
    { header: 'input/1M', value: (model) => price(model.pricing.input), align: 'right' },
    { header: 'output/1M', value: (model) => price(model.pricing.output), align: 'right' },
    { header: 'version', value: (model) => String(model.version), align: 'right' },
  ]);
  return `${table}\n\n${rows.length} model${rows.length === 1 ? '' : 's'}`;
}

export function describeModel(model: ModelRow): string {
  const { pricing } = model;
  const fields: [string, unknown][] = [
    ['id', model.id],
    ['name', model.name],
    ['display name', model.displayName],
    ['provider', `${model.provider} (model ${model.providerModelId})`],
    ['family', model.family],
    ['status', model.status],
    ['version', model.version],
    ['context window', `${count(model.contextWindow)} tokens`],
    ['max output', model.maxOutputTokens === null ? null : `${count(model.maxOutputTokens)} tokens`],
    [
      'pricing (per 1M tokens)',
      `input ${price(pricing.input)}, output ${price(pricing.output)}, cached input ${price(pricing.cacheRead ?? pricing.input)}`,
    ],
    ['capabilities', model.capabilities.join(', ') || null],
    ['released', model.releaseDate],
    ['knowledge cutoff', model.knowledgeCutoff],
    ['open weights', model.openWeights ? 'yes' : 'no'],
    ['avatar', model.avatar],
    ['sort order', model.sortOrder],
    ['source', model.source],
    ['description', model.description],
    ['updated', model.updatedAt.toISOString()],
  ];
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${formatValue(value)}`).join('\n');
}

/** One line per field: `pricing.input: 2.5 → 2`. */
export function describeChanges(changes: readonly ModelFieldChange[], indent = '  '): string {
  return changes
    .map((change) => `${indent}${change.field}: ${formatValue(change.oldValue)} → ${formatValue(change.newValue)}`)
    .join('\n');
}

const changeSummary = (changes: readonly ModelFieldChange[]) =>
  changes
    .map((change) => `${change.field}: ${formatValue(change.oldValue)} → ${formatValue(change.newValue)}`)
    .join('; ');

function capped(lines: string[], hint = 'use --json for all'): string[] {
  if (lines.length <= LIST_LIMIT) return lines;
  return [...lines.slice(0, LIST_LIMIT), `  … and ${lines.length - LIST_LIMIT} more (${hint})`];
}

export function describeImport(result: ImportResult): string {
  const verb = result.dryRun
    ? { created: 'would create', updated: 'would change' }
    : { created: 'created', updated: 'changed' };
  const lines = [
    result.dryRun ? 'dry run: nothing was written' : 'imported',
    `${verb.created} ${result.created.length}, ${verb.updated} ${result.updated.length}, unchanged ${result.unchanged.length}`,
  ];
  if (result.created.length > 0) lines.push('', `${verb.created}:`, ...capped(result.created.map((id) => `  ${id}`)));
  if (result.updated.length > 0) {
    lines.push('', `${verb.updated}:`);
    lines.push(...capped(result.updated.map(({ id, changes }) => `  ${id}\n${describeChanges(changes, '    ')}`)));
  }
  return lines.join('\n');
}

/** `users`: a label per user id (email or username); a null author is the seed or the command line. */
export function historyTable(entries: readonly ModelHistoryEntry[], users: Map<string, string>): string {
  return formatTable(entries, [
    { header: 'version', value: (entry) => String(entry.version), align: 'right' },
    { header: 'kind', value: (entry) => entry.kind },
    { header: 'when', value: (entry) => entry.createdAt.toISOString().replace('T', ' ').slice(0, 19) },
    {
      header: 'by',
      value: (entry) => (entry.changedBy === null ? 'system' : (users.get(entry.changedBy) ?? entry.changedBy)),
    },
    { header: 'reason', value: (entry) => entry.reason ?? '-' },
    { header: 'changes', value: (entry) => changeSummary(entry.changes) || '-' },
  ]);
}

export function repriceTable(report: RepriceResult): string {
  const period = `${report.since.toISOString()} to ${report.until.toISOString()}`;
  if (report.messages === 0) return `no priced replies from ${period}: nothing to reprice`;
  const table = formatTable(report.byModel, [
    { header: 'model', value: (row) => row.modelId },
    { header: 'version', value: (row) => String(row.modelVersion), align: 'right' },
    { header: 'replies', value: (row) => count(row.messages), align: 'right' },
    { header: 'before', value: (row) => formatUsd(row.previousTotalUsd), align: 'right' },
    { header: 'after', value: (row) => formatUsd(row.newTotalUsd), align: 'right' },
    { header: 'difference', value: (row) => signedUsd(row.differenceUsd), align: 'right' },
  ]);
  return [
    `repriced ${count(report.messages)} replies from ${period}`,
    '',
    table,
    '',
    `total: ${formatUsd(report.previousTotalUsd)} → ${formatUsd(report.newTotalUsd)} (${signedUsd(report.differenceUsd)}); ` +
      `${count(report.changedMessages)} stored costs updated`,
  ].join('\n');
}

const signedUsd = (amount: number) => (amount > 0 ? `+${formatUsd(amount)}` : formatUsd(amount));

/** `labels`: how to show a key (user ids as emails); a null key is replies whose model or asker is unknown. */
export function usageTable(rows: readonly UsageRow[], groupBy: UsageGrouping, labels: Map<string, string>): string {
  const table = formatTable(rows, [
    { header: groupBy, value: (row) => (row.key === null ? '(unknown)' : (labels.get(row.key) ?? row.key)) },
    { header: 'replies', value: (row) => count(row.messages), align: 'right' },
    { header: 'input tokens', value: (row) => count(row.inputTokens), align: 'right' },
    { header: 'cached', value: (row) => count(row.cachedInputTokens), align: 'right' },
    { header: 'output tokens', value: (row) => count(row.outputTokens), align: 'right' },
    { header: 'cost', value: (row) => formatUsd(row.costUsd), align: 'right' },
  ]);
  const total = rows.reduce((sum, row) => sum + row.costUsd, 0);
  const replies = rows.reduce((sum, row) => sum + row.messages, 0);
  return `${table}\n\n${count(replies)} replies, ${formatUsd(Number(total.toFixed(10)))}`;
}
