// Text as PostgreSQL can store it. Its text and jsonb types cannot hold U+0000, and jsonb refuses a lone surrogate
// (half of a UTF-16 pair, which no UTF-8 can spell). A model may write either; what it wrote is kept, each such
// character replaced by U+FFFD — what a UTF-8 decoder shows for bytes it cannot read.

/** NUL or any surrogate: only then is the slower exact check needed (a pair, an emoji, is fine). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters looked for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters replaced
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return SUSPECT.test(text) ? text.replace(UNSTORABLE, '\uFFFD') : text;
}

/** A JSON value with every string in it (keys too) storable; the value itself when nothing needs replacing. */
export function storableJson<Value>(value: Value): Value {
  return mayHoldUnstorable(value) ? replacedInJson(value) : value;
}

/** Looks without copying: every reply's parts pass here, and almost none hold such a character. */
function mayHoldUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return SUSPECT.test(value);
  if (Array.isArray(value)) return value.some(mayHoldUnstorable);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key in record) if (SUSPECT.test(key) || mayHoldUnstorable(record[key])) return true;
  }
  return false;
}

function replacedInJson<Value>(value: Value): Value {
  if (typeof value === 'string') return storableText(value) as Value;
  if (Array.isArray(value)) return value.map(replacedInJson) as Value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [storableText(key), replacedInJson(item)]),
    ) as Value;
  }
  return value;
}
