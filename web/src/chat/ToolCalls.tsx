// The tools a reply called, each a collapsible block: its name and how it went, and when opened its input and its
// output (or the error the model was told). A document tool's call can open its document.
import type { ToolCallView } from './replies.ts';

const STATE_LABEL: Record<ToolCallView['state'], string> = { running: 'running…', done: 'done', failed: 'failed' };

/** The document a call of a document tool is about, if any. */
function documentIdOf(call: ToolCallView): string | null {
  const output = call.output as { id?: unknown } | undefined;
  const input = call.input as { id?: unknown; documentId?: unknown } | undefined;
  const id = call.state === 'done' ? (output?.id ?? input?.documentId ?? input?.id) : null;
  return typeof id === 'string' ? id : null;
}

type Props = { tools: ToolCallView[]; onOpenDocument?: (documentId: string) => void };

export function ToolCalls({ tools, onOpenDocument }: Props) {
  if (tools.length === 0) return null;
  return (
    <div className="tool-calls">
      {tools.map((call) => {
        const documentId = onOpenDocument ? documentIdOf(call) : null;
        return (
          <details key={call.toolCallId} className={`tool-call tool-${call.state}`}>
            <summary>
              <span className="tool-name">{call.toolName}</span>{' '}
              <span className="tool-state">{STATE_LABEL[call.state]}</span>
              {documentId && (
                <button type="button" className="link" onClick={() => onOpenDocument?.(documentId)}>
                  Open document
                </button>
              )}
            </summary>
            <h4>Input</h4>
            <pre>{JSON.stringify(call.input, null, 2)}</pre>
            {call.state === 'done' && (
              <>
                <h4>Output</h4>
                <pre>{JSON.stringify(call.output, null, 2)}</pre>
              </>
            )}
            {call.state === 'failed' && (
              <>
                <h4>Error</h4>
                <pre>{call.errorText}</pre>
              </>
            )}
          </details>
        );
      })}
    </div>
  );
}
