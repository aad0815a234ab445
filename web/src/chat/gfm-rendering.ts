// GitHub's Markdown additions in replies (remark-gfm): tables, strikethrough, task lists and bare links. Loaded on
// first need, when a reply seems to hold one of them; until then the reply shows as plain Markdown.
import type { Options } from 'react-markdown';
import { onDemand, useOnDemand } from './on-demand.ts';

type RemarkPlugins = NonNullable<Options['remarkPlugins']>;

const NONE: RemarkPlugins = [];
/** A table's delimiter row, ~~struck~~ text, a task box, or a bare web address. */
const GFM = /(^|\n)\s*\|?\s*:?-{3,}:?\s*\||~~[^~\n]+~~|(^|\n)\s*[-*+] \[[ xX]\]|\bhttps?:\/\/|\bwww\./;

const gfm = onDemand(async (): Promise<RemarkPlugins> => {
  const { default: remarkGfm } = await import('remark-gfm');
  // Math reads `$`; GitHub's single-tilde strikethrough would also take `~` in ordinary prose.
  return [[remarkGfm, { singleTilde: false }]];
});

/** The remark plugins for a reply's GitHub additions: none until loaded, or when the text has none of them. */
export function useGfmRendering(markdown: string): RemarkPlugins {
  return useOnDemand(gfm, GFM.test(markdown)) ?? NONE;
}
