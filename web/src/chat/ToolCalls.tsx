// The tools a reply called, each a collapsible block: its name and how it went, and when opened its input and its
// output (or the error the model was told).
import type { ToolCallView } from './replies.ts';

const STATE_LABEL: Record<ToolCallView['state'], string> = { running: 'running…', done: 'done', failed: 'failed' };

export function ToolCalls({ tools }: { tools: ToolCallView[] }) {
  if (tools.length === 0) return null;
  return (
    <div className="tool-calls">
      {tools.map((call) => (
        <details key={call.toolCallId} className={`tool-call tool-${call.state}`}>
          <summary>
            <span className="tool-name">{call.toolName}</span>{' '}
            <span className="tool-state">{STATE_LABEL[call.state]}</span>
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
      ))}
    </div>
  );
}
