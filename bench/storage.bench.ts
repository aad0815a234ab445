// File storage benchmark: a 50 MB file uploaded and downloaded through Chorus's HTTP API (POST /api/files, GET
// /api/files/:id) with S3 storage on s3rver, beside the AWS SDK sending and reading the same bytes to the same
// s3rver directly (lib-storage's Upload with the same part size and parts in flight, GetObject) in the same run. Target: Chorus ≥ 0.8× the SDK's throughput.
// Chorus runs as `chorus serve` in a process of its own (as in production), s3rver in another, the clients in this one; the
// Chorus server's RSS growth while it moves a file is read from the kernel (/proc). The bodies are made as they are
// sent and dropped as they are read, so no client holds a file. `npm run bench storage`.

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStorageSettings } from '../src/config/object-storage.ts';
import { PART_SIZE_BYTES, s3LocationFromSettings, UPLOAD_QUEUE_SIZE } from '../src/files/s3-file-storage.ts';
import { servingPort, startChorus } from '../test/support/cli.ts';
import { TestClient } from '../test/support/server.ts';
import { formatNumber, printTable } from './support/measure.ts';

const FILE_BYTES = 50 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const ROUNDS = 5;
const TARGET_RATIO = 0.8;
const BOUNDARY = 'chorus-bench-boundary';
const MB = 1024 * 1024;

/** One chunk, sent again and again: a PNG's signature opens the first, so Chorus takes the file for an image. */
const CHUNK = new Uint8Array(CHUNK_BYTES).map((_, index) => (index * 31) % 256);
const FIRST_CHUNK = CHUNK.slice();
FIRST_CHUNK.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The file's bytes as a stream, optionally inside a multipart form. */
function fileStream(form: boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let sent = 0;
  let closed = !form;
  if (form) {
    parts.push(
      encoder.encode(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
    );
  }
  return new ReadableStream({
    pull(controller) {
      const head = parts.shift();
      if (head) return controller.enqueue(head);
      if (sent < FILE_BYTES) {
        controller.enqueue(sent === 0 ? FIRST_CHUNK : CHUNK);
        sent += CHUNK_BYTES;
        return;
      }
      if (!closed) {
        closed = true;
        return controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}--\r\n`));
      }
      controller.close();
    },
  });
}

async function drain(body: ReadableStream<Uint8Array>): Promise<number> {
  let size = 0;
  for await (const chunk of body) size += chunk.byteLength;
  return size;
}

/** A process's resident memory, from the kernel. */
const rssOf = (pid: number) => {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
};

/** Runs `work`, sampling the RSS of process `pid` every 20 ms: its time and how far that RSS rose above its start. */
async function measure(pid: number, work: () => Promise<void>): Promise<{ seconds: number; rssGrowthMb: number }> {
  const startRss = rssOf(pid);
  let peakRss = startRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(pid));
  }, 20);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, rssOf(pid));
  return { seconds, rssGrowthMb: (peakRss - startRss) / MB };
}

const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;

export async function runStorageBench(): Promise<void> {
  const s3rver = fork(new URL('./support/s3rver-main.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  const [s3] = (await once(s3rver, 'message')) as [{ env: Record<string, string>; settings: ObjectStorageSettings }];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chorus-storage-bench-'));
  const origin = 'http://chorus.bench';
  const chorus = startChorus(['serve'], {
    ...s3.env,
    DATA_DIR: dataDir,
    PORT: '0',
    PUBLIC_URL: origin,
    BETTER_AUTH_SECRET: 'chorus benchmark secret, not for any real server',
    CHORUS_MAX_UPLOAD_BYTES: String(FILE_BYTES + MB),
    CHORUS_MAX_UPLOAD_BYTES_PER_USER: String(ROUNDS * 2 * FILE_BYTES),
  });
  try {
    const baseUrl = `http://127.0.0.1:${await servingPort(chorus)}`;
    const person = new TestClient(baseUrl, { origin });
    const signedUp = await person.post('/api/auth/sign-up/email', {
      email: 'bench@example.test',
      password: 'a long enough password',
      name: 'Bench',
    });
    if (signedUp.status !== 200) throw new Error(`sign-up failed: ${JSON.stringify(signedUp.body)}`);
    const cookie = [...person.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = { cookie, origin };
    const chorusPid = chorus.pid!;
    const { client, bucket } = s3LocationFromSettings(s3.settings);

    const samples = {
      chorusUpload: [] as { seconds: number; rssGrowthMb: number }[],
      sdkUpload: [] as { seconds: number; rssGrowthMb: number }[],
      chorusDownload: [] as { seconds: number; rssGrowthMb: number }[],
      sdkDownload: [] as { seconds: number; rssGrowthMb: number }[],
    };
    for (let round = 0; round < ROUNDS; round++) {
      let fileUrl = '';
      const chorusUpload = async () => {
        const response = await fetch(`${baseUrl}/api/files`, {
          method: 'POST',
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
          body: fileStream(true),
          duplex: 'half',
        } as RequestInit);
        const answer = (await response.json()) as { url: string; size: number };
        if (response.status !== 201 || answer.size !== FILE_BYTES) {
          throw new Error(`upload failed: ${response.status} ${JSON.stringify(answer)}`);
        }
        fileUrl = answer.url;
      };
      const sdkKey = `direct/round-${round}`;
      const sdkUpload = async () => {
        await new Upload({
          client,
          params: { Bucket: bucket, Key: sdkKey, Body: fileStream(false), ContentType: 'image/png' },
          partSize: PART_SIZE_BYTES,
          queueSize: UPLOAD_QUEUE_SIZE,
        }).done();
      };
      const chorusDownload = async () => {
        const response = await fetch(`${baseUrl}${fileUrl}`, { headers });
        if ((await drain(response.body!)) !== FILE_BYTES) throw new Error('download came short');
      };
      const sdkDownload = async () => {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: sdkKey }));
        if ((await drain(object.Body!.transformToWebStream())) !== FILE_BYTES) throw new Error('read came short');
      };
      // Alternated, so neither side always runs on a warmer machine.
      const pairs: [() => Promise<void>, keyof typeof samples][] =
        round % 2 === 0
          ? [
              [chorusUpload, 'chorusUpload'],
              [sdkUpload, 'sdkUpload'],
              [chorusDownload, 'chorusDownload'],
              [sdkDownload, 'sdkDownload'],
            ]
          : [
              [sdkUpload, 'sdkUpload'],
              [chorusUpload, 'chorusUpload'],
              [sdkDownload, 'sdkDownload'],
              [chorusDownload, 'chorusDownload'],
            ];
      for (const [work, name] of pairs) {
        samples[name].push(await measure(name.startsWith('chorus') ? chorusPid : process.pid, work));
      }
    }

    const throughput = (runs: { seconds: number }[]) => median(runs.map((run) => FILE_BYTES / MB / run.seconds));
    const growth = (runs: { rssGrowthMb: number }[]) => Math.max(...runs.map((run) => run.rssGrowthMb));
    const rows: (string | number)[][] = [];
    for (const direction of ['upload', 'download'] as const) {
      const chorus = direction === 'upload' ? samples.chorusUpload : samples.chorusDownload;
      const sdk = direction === 'upload' ? samples.sdkUpload : samples.sdkDownload;
      const ratio = throughput(chorus) / throughput(sdk);
      rows.push([
        direction,
        formatNumber(throughput(chorus), 1),
        formatNumber(throughput(sdk), 1),
        `${formatNumber(ratio, 2)}× ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}`,
        formatNumber(growth(chorus), 1),
        formatNumber(growth(sdk), 1),
      ]);
    }
    printTable(
      `50 MB through Chorus (HTTP API, S3 storage on s3rver) vs the AWS SDK directly, median of ${ROUNDS} (target ≥ ${TARGET_RATIO}×)`,
      ['', 'Chorus MB/s', 'SDK MB/s', 'Chorus / SDK', 'Chorus server RSS growth MB', 'SDK client RSS growth MB'],
      rows,
    );
  } finally {
    chorus.kill('SIGTERM');
    if (chorus.exitCode === null) await once(chorus, 'exit');
    s3rver.send('stop');
    if (s3rver.exitCode === null) await once(s3rver, 'exit');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
