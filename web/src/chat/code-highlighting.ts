// Colours code blocks in replies with highlight.js (through rehype-highlight and its common languages). Its
// grammars weigh more than the rest of the chat, so they load on first need, when a reply holds a code fence, and
// the block shows plain until then.
import { useEffect, useState } from 'react';
import type { Options } from 'react-markdown';

type RehypePlugins = NonNullable<Options['rehypePlugins']>;

const NONE: RehypePlugins = [];
/** A fenced block (``` or ~~~) starting a line. */
const CODE_FENCE = /(^|\n)[ \t]*(```|~~~)/;

let plugins: RehypePlugins | null = null;
let loading: Promise<RehypePlugins> | null = null;

function loadHighlighting(): Promise<RehypePlugins> {
  loading ??= import('rehype-highlight').then(({ default: rehypeHighlight }) => {
    // Only blocks that name their language are coloured: guessing on every streamed token would cost too much.
    plugins = [[rehypeHighlight, { detect: false }]];
    return plugins;
  });
  return loading;
}

/** The rehype plugins for a reply's Markdown: highlighting once it is loaded and the text has code. */
export function useCodeHighlighting(markdown: string): RehypePlugins {
  const needed = CODE_FENCE.test(markdown);
  const [loaded, setLoaded] = useState(plugins);
  useEffect(() => {
    if (!needed || loaded) return;
    let current = true;
    loadHighlighting()
      .then((ready) => current && setLoaded(ready))
      .catch(() => {
        // Offline or a stale deployment: the code stays readable, only uncoloured. Try again on the next reply.
        loading = null;
      });
    return () => {
      current = false;
    };
  }, [needed, loaded]);
  return needed && loaded ? loaded : NONE;
}
