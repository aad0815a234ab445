// A reply's text as Markdown: links open in a new tab, code blocks are highlighted (see code-highlighting.ts) and
// carry their language and a copy button, math is typeset (see math-rendering.ts), GitHub's tables and the like
// read (gfm-rendering.ts).
import { type ComponentProps, isValidElement, type ReactNode, useMemo, useRef } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { TableScroll } from '../TableScroll.tsx';
import { CopyButton } from './CopyButton.tsx';
import { useCodeHighlighting } from './code-highlighting.ts';
import { useGfmRendering } from './gfm-rendering.ts';
import { useMathRendering } from './math-rendering.ts';

/** Made once: new component functions on every render would remount each code block as a reply streams. */
const COMPONENTS: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
  pre: ({ node: _node, children }) => <CodeBlock>{children}</CodeBlock>,
  // A wide table scrolls sideways in its own box instead of widening the reply.
  table: ({ node: _node, ...props }) => (
    <TableScroll label="Table">
      <table {...props} />
    </TableScroll>
  ),
};

export function ReplyMarkdown({ text }: { text: string }) {
  const highlighting = useCodeHighlighting(text);
  const math = useMathRendering(text);
  const gfm = useGfmRendering(text);
  const remarkPlugins = useMemo(() => [...gfm, ...math.remarkPlugins], [gfm, math]);
  const rehypePlugins = useMemo(() => [...math.rehypePlugins, ...highlighting], [math, highlighting]);
  return (
    <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={COMPONENTS}>
      {text}
    </Markdown>
  );
}

function CodeBlock({ children }: { children?: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  const language = languageOf(children);
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-language">{language ?? 'code'}</span>
        <CopyButton className="link code-copy" text={() => pre.current?.textContent ?? ''} />
      </div>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}

/** The language a fence named (```ts gives the code element the class language-ts). */
function languageOf(children: ReactNode): string | null {
  const code = Array.isArray(children) ? children[0] : children;
  if (!isValidElement<ComponentProps<'code'>>(code)) return null;
  const match = /(?:^|\s)language-([\w+#.-]+)/.exec(code.props.className ?? '');
  return match?.[1] ?? null;
}
