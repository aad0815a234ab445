// `chorus serve` runs the Discord bot when DISCORD_BOT_TOKEN is set: it connects to the gateway at the API base
// DISCORD_API_URL names, and lets it go on SIGTERM, exiting cleanly.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { servingPort, startChorus, temporaryDirectory } from '../support/cli.ts';
import { startFakeDiscord } from '../support/fake-discord/index.ts';

const dataDir = temporaryDirectory();
after(() => dataDir.remove());

test('chorus serve with DISCORD_BOT_TOKEN holds one gateway session until it is stopped', async () => {
  const discord = await startFakeDiscord({ guilds: [{ name: 'Lab', channels: [{ name: 'general' }] }] });
  try {
    const server = startChorus(['serve'], {
      PORT: '0',
      DATA_DIR: dataDir.path,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
    });
    await servingPort(server);
    await discord.waitForSessions(1, 30_000);
    await discord.waitUntil(() => discord.commands().length === 8, 'the eight slash commands', 30_000);
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
    await discord.waitForSessions(0);
  } finally {
    await discord.close();
  }
});
