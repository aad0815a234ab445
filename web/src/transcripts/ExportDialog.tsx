// Exporting a conversation: download it as JSON (everything, to import again), CSV (a spreadsheet) or Markdown (to
// read), or keep a copy on the server and download it later. Anyone who can read the conversation may.
import { useCallback, useEffect, useState } from 'react';
import { apiRequest } from '../api.ts';
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import type { Page, Transcript, TranscriptFormat } from '../types.ts';

const FORMATS: { format: TranscriptFormat; label: string; explanation: string }[] = [
  { format: 'json', label: 'JSON', explanation: 'everything, with its files; import it here or elsewhere' },
  { format: 'csv', label: 'CSV', explanation: 'one row per message, for a spreadsheet' },
  { format: 'md', label: 'Markdown', explanation: 'to read or print' },
];

const formatLabel = (format: TranscriptFormat) => FORMATS.find((choice) => choice.format === format)?.label ?? format;

export const exportUrl = (conversationId: string, format: TranscriptFormat) =>
  `/api/conversations/${conversationId}/export?format=${format}`;

export function ExportDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const [stored, setStored] = useState<Transcript[]>([]);
  const [saving, setSaving] = useState<TranscriptFormat | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await apiRequest<Pick<Page<Transcript>, 'items'>>(
        'GET',
        `/api/conversations/${conversationId}/transcripts`,
      );
      setStored(list.items);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, [conversationId]);
  useEffect(() => {
    void load();
  }, [load]);

  async function keepCopy(format: TranscriptFormat) {
    setSaving(format);
    setProblem(null);
    try {
      await apiRequest('POST', `/api/conversations/${conversationId}/transcripts`, { format });
      await load();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(null);
    }
  }

  return (
    <ModalDialog title="Export this conversation" onCancel={onClose}>
      <ul className="export-formats">
        {FORMATS.map(({ format, label, explanation }) => (
          <li key={format}>
            <a className="button secondary" href={exportUrl(conversationId, format)} download>
              Download {label}
            </a>
            <span className="muted"> {explanation}</span>
            <button type="button" className="link" disabled={saving !== null} onClick={() => void keepCopy(format)}>
              {saving === format ? 'Saving…' : 'Keep a copy on the server'}
            </button>
          </li>
        ))}
      </ul>
      {stored.length > 0 && (
        <section aria-label="Copies kept on the server">
          <h3>Kept on the server</h3>
          <ul className="stored-transcripts">
            {stored.map((transcript) => (
              <li key={transcript.id}>
                <a href={transcript.url} download>
                  {formatLabel(transcript.format)}, {new Date(transcript.createdAt).toLocaleString()}
                </a>
                <span className="muted">
                  {' '}
                  — {transcript.messageCount} messages, {Math.max(1, Math.round(transcript.sizeBytes / 1024))} KB
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <FormProblem problem={problem} />
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
