// Colours code blocks in replies with highlight.js (through rehype-highlight and its common languages). Its
// grammars weigh more than the rest of the chat, so they load on first need, when a reply holds a code fence, and
// the block shows plain until then.
import type { Options } from 'react-markdown';
import { onDemand, useOnDemand } from './on-demand.ts';

type RehypePlugins = NonNullable<Options['rehypePlugins']>;

const NONE: RehypePlugins = [];
/** A fenced block (``` or ~~~) starting a line. */
const CODE_FENCE = /(^|\n)[ \t]*(```|~~~)/;

const highlighting = onDemand(async (): Promise<RehypePlugins> => {
  const { default: rehypeHighlight } = await import('rehype-highlight');
  // Only blocks that name their language are coloured: guessing on every streamed token would cost too much.
  return [[rehypeHighlight, { detect: false }]];
});

/** The rehype plugins for a reply's Markdown: highlighting once it is loaded and the text has code. */
export function useCodeHighlighting(markdown: string): RehypePlugins {
  return useOnDemand(highlighting, CODE_FENCE.test(markdown)) ?? NONE;
}
