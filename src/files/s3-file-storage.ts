// File storage in an S3-compatible bucket, shared by every server process. A key is the object's key as it is. Writes
// stream through a multipart upload (a part of PART_SIZE_BYTES at a time, a few in flight), so memory stays bounded
// whatever the file's size; reads stream the object's body, or the range asked of it.

import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStorageSettings } from '../config/object-storage.ts';
import { asStream, measuringStream, sliceStream } from './byte-streams.ts';
import {
  type ByteRange,
  checkedKey,
  checkedPrefix,
  type FileRead,
  type FileStat,
  type FileStorage,
  type PutResult,
  type RangeRequest,
  resolveRange,
  UnsatisfiableRangeError,
} from './storage.ts';

/**
 * S3's smallest part. Parts are buffered, so this times UPLOAD_QUEUE_SIZE (and about as much again while a part is
 * assembled) is the memory one write takes; a 5 TB object would need larger parts (S3 allows 10,000).
 */
export const PART_SIZE_BYTES = 5 * 1024 * 1024;
/** Parts of one upload sent at once. */
export const UPLOAD_QUEUE_SIZE = 4;

export type S3Location = { client: S3Client; bucket: string };

/** A client for the configured store; S3_BUCKET must be set. */
export function s3LocationFromSettings(settings: ObjectStorageSettings): S3Location {
  if (!settings.S3_BUCKET) throw new Error('S3_BUCKET is not set: there is no bucket to store files in');
  const credentials =
    settings.S3_ACCESS_KEY_ID && settings.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY }
      : undefined;
  const client = new S3Client({
    region: settings.S3_REGION,
    endpoint: settings.S3_ENDPOINT,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
    credentials,
    // Checksums only where S3 requires them: many S3-compatible stores do not understand the SDK's default
    // (checksummed, aws-chunked) uploads. Each file's SHA-256 is computed from the bytes themselves instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { client, bucket: settings.S3_BUCKET };
}

const statusOf = (error: unknown) => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined);
const isMissing = (error: unknown) =>
  statusOf(error) === 404 || (error instanceof S3ServiceException && error.name === 'NoSuchKey');

export class S3FileStorage implements FileStorage {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly partSizeBytes: number;

  constructor({ client, bucket }: S3Location, options: { partSizeBytes?: number } = {}) {
    this.client = client;
    this.bucket = bucket;
    this.partSizeBytes = options.partSizeBytes ?? PART_SIZE_BYTES;
  }

  async put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: { mediaType: string },
  ): Promise<PutResult> {
    checkedKey(key);
    const measure = measuringStream();
    // The body's own failure (a size limit passed, a sender gone), kept to throw as it is rather than as the SDK
    // reports it; the upload is aborted either way, so no part of it is left in the bucket.
    let bodyError: unknown;
    const reader = asStream(body).pipeThrough(measure).getReader();
    const guarded = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const read = await reader.read();
          if (read.done) controller.close();
          else controller.enqueue(read.value);
        } catch (error) {
          bodyError = error;
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: guarded, ContentType: options.mediaType },
      partSize: this.partSizeBytes,
      queueSize: UPLOAD_QUEUE_SIZE,
    });
    try {
      await upload.done();
    } catch (error) {
      throw bodyError ?? error;
    }
    return measure.digest();
  }

  async get(key: string, range?: RangeRequest): Promise<FileRead | null> {
    checkedKey(key);
    if (range && !isWellFormed(range)) throw new UnsatisfiableRangeError(range, (await this.stat(key))?.size ?? 0);
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
    } catch (error) {
      if (isMissing(error)) return null;
      if (range && statusOf(error) === 416) {
        const found = await this.stat(key);
        if (!found) return null;
        throw new UnsatisfiableRangeError(range, found.size);
      }
      throw error;
    }
    // Node's own Readable.toWeb (behind transformToWebStream) copies every chunk; an async-iterated stream does not.
    const body = ReadableStream.from(response.Body as Readable) as ReadableStream<Uint8Array>;
    const served = response.ContentRange
      ? parseContentRange(response.ContentRange)
      : { start: 0, end: (response.ContentLength ?? 0) - 1, size: response.ContentLength ?? 0 };
    if (!served) {
      await body.cancel();
      throw new Error(
        `the store answered a read of ${key} with a Content-Range it cannot mean: ${response.ContentRange}`,
      );
    }
    if (!range) return { body, size: served.size, range: null };
    let wanted: ByteRange;
    try {
      wanted = resolveRange(range, served.size)!;
    } catch (error) {
      await body.cancel();
      throw error;
    }
    if (served.start === wanted.start && served.end === wanted.end) return { body, size: served.size, range: wanted };
    // Some S3-compatible servers serve more than was asked (the whole object for a range they ignore, or for bytes=0-0):
    // the bytes asked are cut from what came, when it holds them.
    if (served.start > wanted.start || served.end < wanted.end) {
      await body.cancel();
      throw new Error(
        `the store answered a read of bytes ${wanted.start}-${wanted.end} of ${key} with ${served.start}-${served.end}`,
      );
    }
    const sliced = body.pipeThrough(sliceStream(wanted.start - served.start, wanted.end - wanted.start + 1));
    return { body: sliced, size: served.size, range: wanted };
  }

  async stat(key: string): Promise<FileStat | null> {
    checkedKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    checkedKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix = ''): AsyncIterable<string> {
    checkedPrefix(prefix);
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix || undefined });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    }
  }
}

const isWellFormed = (range: RangeRequest) =>
  Number.isSafeInteger(range.start) &&
  range.start >= 0 &&
  (range.end === undefined || (Number.isSafeInteger(range.end) && range.end >= range.start));

/** `bytes 0-99/1234` as numbers; null for anything else. */
function parseContentRange(header: string): { start: number; end: number; size: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim());
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}
