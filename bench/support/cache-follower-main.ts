// The other server process of the propagation benchmark (see cache-follower.ts): a ModelCache on its own
// connection pool and its own LISTEN connection, as a second `chorus serve` would hold one. For every
// announcement it hears and every reload it finishes it reports, over IPC, when (epoch ms, this machine's clock)
// and the version of the watched model it now holds.
// `node --import tsx cache-follower-main.ts` with BENCH_FOLLOWER_DATABASE_URL and BENCH_FOLLOWER_MODEL_ID.
import { openDatabase } from '../../src/db/client.ts';
import { CHANNELS, createChangeListener } from '../../src/db/notifications.ts';
import { ModelCache } from '../../src/registry/model-cache.ts';
import { ModelStore } from '../../src/store/models.ts';
import type { FollowerCommand, FollowerReport } from './cache-follower.ts';
import { epochMs } from './paired-timing.ts';

const url = process.env.BENCH_FOLLOWER_DATABASE_URL ?? '';
const watchedId = process.env.BENCH_FOLLOWER_MODEL_ID ?? '';
const send = (report: FollowerReport) => process.send!(report);

const database = await openDatabase({ url, maxConnections: 2 });
const listener = createChangeListener(database);
const cache = new ModelCache(new ModelStore(database.db));
let reloadStartedAt = 0;

// Registered before the cache's own listener, so it hears each announcement first: when it arrived.
await listener.listen(CHANNELS.models, () => {
  reloadStartedAt = epochMs();
  send({ kind: 'notified', at: reloadStartedAt });
});
cache.onReload(() => {
  const at = epochMs();
  send({
    kind: 'reloaded',
    at,
    reloadMs: reloadStartedAt ? at - reloadStartedAt : 0,
    version: cache.get(watchedId)?.version ?? null,
    models: cache.all().length,
  });
});
await cache.start(listener);

process.on('message', async (command: FollowerCommand) => {
  if (command.name === 'stop') {
    await cache.stop();
    await listener.close();
    await database.close();
    process.exit(0);
  }
});
send({ kind: 'ready', models: cache.all().length });
