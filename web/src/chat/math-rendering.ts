// Renders math in replies with KaTeX: `$…$` inline and `$$…$$` as a block (remark-math reads them, rehype-katex
// typesets them). KaTeX and its fonts weigh about as much as the rest of the chat, so they load on first need, when a
// reply holds a dollar-delimited formula, and the formula shows as its source until then.
import { useEffect, useState } from 'react';
import type { Options } from 'react-markdown';

export type MathPlugins = {
  remarkPlugins: NonNullable<Options['remarkPlugins']>;
  rehypePlugins: NonNullable<Options['rehypePlugins']>;
};

const NONE: MathPlugins = { remarkPlugins: [], rehypePlugins: [] };
/** `$$` anywhere, or a `$…$` pair on one line that does not read as two prices ($5 and $10). */
const MATH = /\$\$|\$(?!\s)[^$\n]*[^\s$\d][^$\n]*(?<!\s)\$/;

let plugins: MathPlugins | null = null;
let loading: Promise<MathPlugins> | null = null;

function loadMath(): Promise<MathPlugins> {
  loading ??= Promise.all([import('remark-math'), import('rehype-katex'), import('./katex-styles.ts')]).then(
    ([{ default: remarkMath }, { default: rehypeKatex }]) => {
      // A formula KaTeX cannot read shows as its source in red rather than stopping the reply.
      plugins = { remarkPlugins: [remarkMath], rehypePlugins: [[rehypeKatex, { throwOnError: false }]] };
      return plugins;
    },
  );
  return loading;
}

/** The plugins that render a reply's math: none until KaTeX is loaded or when the text has no formula. */
export function useMathRendering(markdown: string): MathPlugins {
  const needed = MATH.test(markdown);
  const [loaded, setLoaded] = useState(plugins);
  useEffect(() => {
    if (!needed || loaded) return;
    let current = true;
    loadMath()
      .then((ready) => current && setLoaded(ready))
      .catch(() => {
        // Offline or a stale deployment: the formula stays readable as its source. Try again on the next reply.
        loading = null;
      });
    return () => {
      current = false;
    };
  }, [needed, loaded]);
  return needed && loaded ? loaded : NONE;
}
