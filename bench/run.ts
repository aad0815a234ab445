// `npm run bench`: every benchmark, each printing its figures beside a baseline measured in the same run.
// `npm run bench -- data` runs only the suites whose name contains "data".
import { runBackupBench } from './backup.bench.ts';
import { runCapacityBench } from './capacity.bench.ts';
import { runChatBench } from './chat.bench.ts';
import { runDataCoreBench } from './data-core.bench.ts';
import { runDiscordBench } from './discord.bench.ts';
import { runDocumentsBench } from './documents.bench.ts';
import { runExportBench } from './export.bench.ts';
import { runGroupBench } from './group.bench.ts';
import { runMetricsBench } from './metrics.bench.ts';
import { runRegistryBench } from './registry.bench.ts';
import { runSearchBench } from './search.bench.ts';
import { runStorageBench } from './storage.bench.ts';
import { runWebBench } from './web.bench.ts';

const suites: Record<string, () => Promise<void>> = {
  'data-core': runDataCoreBench,
  chat: runChatBench,
  registry: runRegistryBench,
  group: runGroupBench,
  capacity: runCapacityBench,
  storage: runStorageBench,
  metrics: runMetricsBench,
  discord: runDiscordBench,
  documents: runDocumentsBench,
  export: runExportBench,
  backup: runBackupBench,
  search: runSearchBench,
  web: runWebBench,
};

const filters = process.argv.slice(2);
const selected = Object.entries(suites).filter(
  ([name]) => filters.length === 0 || filters.some((filter) => name.includes(filter)),
);
console.log(`Chorus benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of selected) {
  console.log(`\n## ${name}`);
  await run();
}
