// Renders math in replies with KaTeX: `$…$` inline and `$$…$$` as a block (remark-math reads them, rehype-katex
// typesets them). KaTeX and its fonts weigh about as much as the rest of the chat, so they load on first need, when a
// reply holds a dollar-delimited formula, and the formula shows as its source until then.
import type { Options } from 'react-markdown';
import { onDemand, useOnDemand } from './on-demand.ts';

export type MathPlugins = {
  remarkPlugins: NonNullable<Options['remarkPlugins']>;
  rehypePlugins: NonNullable<Options['rehypePlugins']>;
};

const NONE: MathPlugins = { remarkPlugins: [], rehypePlugins: [] };
/** `$$` anywhere, or a `$…$` pair on one line that does not read as two prices ($5 and $10). */
const MATH = /\$\$|\$(?!\s)[^$\n]*[^\s$\d][^$\n]*(?<!\s)\$/;

const typesetting = onDemand(async (): Promise<MathPlugins> => {
  const [{ default: remarkMath }, { default: rehypeKatex }] = await Promise.all([
    import('remark-math'),
    import('rehype-katex'),
    import('./katex-styles.ts'),
  ]);
  // A formula KaTeX cannot read shows as its source in red rather than stopping the reply.
  return { remarkPlugins: [remarkMath], rehypePlugins: [[rehypeKatex, { throwOnError: false }]] };
});

/** The plugins that render a reply's math: none until KaTeX is loaded, or when the text has no formula. */
export function useMathRendering(markdown: string): MathPlugins {
  return useOnDemand(typesetting, MATH.test(markdown)) ?? NONE;
}
