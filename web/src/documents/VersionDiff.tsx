// What a version changed: its lines against the version before it, kept, removed and added (text-changes.ts).
import { useEffect, useState } from 'react';
import type { DocumentVersion } from '../types.ts';
import { fetchVersion } from './document-api.ts';
import { diffLines } from './text-changes.ts';

type Props = {
  documentId: string;
  /** The version before the shown one. */
  previousCreatedAt: string;
  shown: DocumentVersion;
};

const MARKS = { same: ' ', added: '+', removed: '−' } as const;

export function VersionDiff({ documentId, previousCreatedAt, shown }: Props) {
  const [previous, setPrevious] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setPrevious(null);
    fetchVersion(documentId, previousCreatedAt).then(
      (version) => current && setPrevious(version.content ?? ''),
      (error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
    };
  }, [documentId, previousCreatedAt]);

  if (problem) return <p className="form-problem">{problem}</p>;
  if (previous === null) return <p>Loading…</p>;
  const lines = diffLines(previous, shown.content ?? '');
  return (
    <section aria-label="Changes from the version before" className="version-diff">
      {lines.every((line) => line.change === 'same') && <p className="muted">No changes in the text.</p>}
      {/* Lines repeat, so their place is part of their key: the list is rebuilt whole for each pair of versions. */}
      {lines.map((line, index) => {
        const Line = line.change === 'added' ? 'ins' : line.change === 'removed' ? 'del' : 'span';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <Line key={index} className={`diff-line diff-${line.change}`}>
            <span aria-hidden="true">{MARKS[line.change]} </span>
            {line.text}
          </Line>
        );
      })}
    </section>
  );
}
