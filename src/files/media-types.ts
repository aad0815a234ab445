// What may be attached to a message, told apart by the file's first bytes: a declared content type is only the
// uploader's claim, and a file whose bytes are not what it claims is refused. Pure functions.
import { AppError } from '../errors.ts';

export const ATTACHABLE_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'application/pdf',
] as const;
export type AttachableMediaType = (typeof ATTACHABLE_MEDIA_TYPES)[number];

const ascii = (text: string) => Array.from(text, (character) => character.charCodeAt(0));

/** Byte patterns at given offsets (null: any byte) that open each kind of file. */
const SIGNATURES: { mediaType: AttachableMediaType; patterns: { offset: number; bytes: (number | null)[] }[] }[] = [
  { mediaType: 'image/png', patterns: [{ offset: 0, bytes: [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a] }] },
  { mediaType: 'image/jpeg', patterns: [{ offset: 0, bytes: [0xff, 0xd8, 0xff] }] },
  {
    mediaType: 'image/gif',
    patterns: [
      { offset: 0, bytes: ascii('GIF87a') },
      { offset: 0, bytes: ascii('GIF89a') },
    ],
  },
  // RIFF, a 4-byte length, then WEBP.
  {
    mediaType: 'image/webp',
    patterns: [{ offset: 0, bytes: [...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')] }],
  },
  { mediaType: 'application/pdf', patterns: [{ offset: 0, bytes: ascii('%PDF-') }] },
];

/** How many of a file's first bytes tell its kind. */
export const SNIFFED_BYTES = Math.max(
  ...SIGNATURES.flatMap(({ patterns }) => patterns.map(({ offset, bytes }) => offset + bytes.length)),
);

/** The kind of file the bytes are, or null when they are none of the attachable kinds. */
export function sniffMediaType(bytes: Uint8Array): AttachableMediaType | null {
  for (const { mediaType, patterns } of SIGNATURES) {
    const matches = patterns.some(({ offset, bytes: pattern }) =>
      pattern.every((expected, index) => expected === null || bytes[offset + index] === expected),
    );
    if (matches) return mediaType;
  }
  return null;
}

/** Spellings browsers and tools send for the same type. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
};

/** Declarations that say nothing about the content (curl and some browsers send these for any file). */
const UNSPECIFIC = new Set(['', 'application/octet-stream']);

function normalizeMediaType(declared: string): string {
  const bare = declared.split(';')[0]!.trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/**
 * The media type to store for an upload: what the bytes are, provided the declaration (if it says anything)
 * agrees. A 415 names both the claim and what the bytes turned out to be.
 */
export function verifiedMediaType(bytes: Uint8Array, declared: string, name: string): AttachableMediaType {
  const sniffed = sniffMediaType(bytes);
  const claim = normalizeMediaType(declared);
  if (!sniffed) {
    const claimed = UNSPECIFIC.has(claim) ? '' : ` (declared as ${claim})`;
    throw new AppError(
      'unsupported_media_type',
      `${name}${claimed} is not a PNG, JPEG, WebP or GIF image or a PDF: its content is none of these`,
    );
  }
  if (!UNSPECIFIC.has(claim) && claim !== sniffed) {
    throw new AppError('unsupported_media_type', `${name} is declared as ${claim} but its content is ${sniffed}`);
  }
  return sniffed;
}

/** The model capability a file needs to be shown to a model. */
export function capabilityToRead(mediaType: string): 'vision' | 'pdf' {
  return mediaType === 'application/pdf' ? 'pdf' : 'vision';
}

/** How a file is named in messages to people and in notes to models that cannot see it. */
export function kindOfFile(mediaType: string): 'image' | 'PDF' {
  return mediaType === 'application/pdf' ? 'PDF' : 'image';
}
