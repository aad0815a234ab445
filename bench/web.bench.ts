// Web app cold load: from navigation to a usable message box (the composer enabled, the models listed) for a
// signed-in person on an empty cache, in Chromium throttled as a mid-range phone (Lighthouse's mobile setting: a CPU
// 4× slower, 150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up), beside the same throttled browser fetching just the
// scripts that load took (the network's floor for them), in the same run. Also what that load transferred.
// `npm run bench -- web`; needs /usr/bin/chromium, like the browser tests.
import type { BrowserContext, CDPSession } from 'playwright-core';
import { startFakeProvider } from '../test/support/fake-provider.ts';
import { openPage, pickModels, signUp, skipWithoutChromium, startWebApp } from '../test/support/web-browser.ts';
import { formatNumber, printTable, summarize } from './support/measure.ts';

const ROUNDS = 5;
const PHONE = { width: 390, height: 844 };
const THROTTLED_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;

type Transfer = { url: string; type: string; bytes: number };

/** A throttled page with an empty cache, counting the bytes each response took on the wire. */
async function throttledPage(context: BrowserContext) {
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', THROTTLED_NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const responses = new Map<string, { url: string; type: string }>();
  const transfers: Transfer[] = [];
  cdp.on('Network.responseReceived', (event) =>
    responses.set(event.requestId, { url: event.response.url, type: event.type }),
  );
  cdp.on('Network.loadingFinished', (event) => {
    const response = responses.get(event.requestId);
    if (response) transfers.push({ ...response, bytes: event.encodedDataLength });
  });
  return { page, transfers };
}

export async function runWebBench(): Promise<void> {
  if (skipWithoutChromium) {
    console.log(`skipped: ${skipWithoutChromium}`);
    return;
  }
  const fake = await startFakeProvider({ models: { alpha: { reply: 'Hello.' } } });
  const app = await startWebApp({ CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL, CHORUS_PROVIDER_FAKE_MODELS: 'alpha' });
  try {
    const { page: setup } = await openPage(app);
    await signUp(setup, 'Bench', 'bench@example.com');
    await pickModels(setup, ['alpha']);
    const storageState = await setup.context().storageState();
    await setup.close();

    const loads: number[] = [];
    const floors: number[] = [];
    let lastTransfers: Transfer[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const context = await app.browser.newContext({ storageState, viewport: PHONE });
      const { page, transfers } = await throttledPage(context);
      const started = performance.now();
      await page.goto(`${app.baseUrl}/`);
      await page.locator('#composer-input:not([disabled])').waitFor({ timeout: 60_000 });
      await page.locator('.model-picker-label', { hasText: 'alpha' }).waitFor({ timeout: 60_000 });
      loads.push(performance.now() - started);
      lastTransfers = [...transfers];
      await context.close();

      // The floor: the same scripts fetched at once by the same throttled browser, nothing run.
      const scripts = lastTransfers.filter((transfer) => transfer.type === 'Script').map((transfer) => transfer.url);
      // A JSON route's policy forbids fetching from its page; this page only measures.
      const bare = await app.browser.newContext({ storageState, viewport: PHONE, bypassCSP: true });
      const { page: fetcher } = await throttledPage(bare);
      await fetcher.goto(`${app.baseUrl}/api/health`);
      const fetchStarted = performance.now();
      await fetcher.evaluate(
        `Promise.all(${JSON.stringify(scripts)}.map((url) => fetch(url).then((response) => response.arrayBuffer())))`,
      );
      floors.push(performance.now() - fetchStarted);
      await bare.close();
    }

    const load = summarize(loads);
    const floor = summarize(floors);
    const kilobytes = (type?: string) =>
      formatNumber(
        lastTransfers.filter((transfer) => !type || transfer.type === type).reduce((sum, t) => sum + t.bytes, 0) / 1024,
        1,
      );
    printTable(
      `Cold load on a throttled phone (CPU ${CPU_SLOWDOWN}× slower, 150 ms RTT, 1.6 Mbit/s), median of ${ROUNDS}`,
      ['measure', 'value', 'baseline'],
      [
        [
          'navigation → usable message box (ms)',
          formatNumber(load.p50),
          `the scripts alone, fetched: ${formatNumber(floor.p50)}`,
        ],
        ['slowest of the rounds (ms)', formatNumber(Math.max(...loads)), formatNumber(Math.max(...floors))],
        ['scripts transferred (kB, compressed)', kilobytes('Script'), 'budget 170'],
        ['everything transferred (kB)', kilobytes(), ''],
        ['requests', lastTransfers.length, ''],
      ],
    );
  } finally {
    await app.close();
    await fake.close();
  }
}
