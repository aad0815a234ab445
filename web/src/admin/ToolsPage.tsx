// /admin/tools: the MCP servers whose tools models may call in conversations that switch them on — registered and
// changed (McpServerForm.tsx), tested, deleted — and the latest calls made to them. Secrets are sent once and never
// shown back: only their names.
import { useCallback, useEffect, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import type { McpServer, McpServerChanges, McpServerInput, ToolCallRecord } from '../types.ts';
import { McpServerForm } from './McpServerForm.tsx';
import {
  changeMcpServer,
  createMcpServer,
  deleteMcpServer,
  listMcpServers,
  listToolCalls,
  testMcpServer,
} from './tools-api.ts';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const briefly = (value: unknown) => {
  const text = JSON.stringify(value) ?? '';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

export function ToolsPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const [servers, setServers] = useState<McpServer[]>([]);
  const [calls, setCalls] = useState<ToolCallRecord[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<McpServer | null>(null);

  const fail = useCallback(
    (error: unknown) => {
      if (!onForbidden(error)) setProblem(messageOf(error));
    },
    [onForbidden],
  );
  const reload = useCallback(() => {
    Promise.all([listMcpServers(), listToolCalls()]).then(([found, page]) => {
      setServers(found);
      setCalls(page.items);
      setProblem(null);
    }, fail);
  }, [fail]);
  useEffect(reload, [reload]);

  const test = (server: McpServer) => {
    setTested((shown) => ({ ...shown, [server.id]: 'Connecting…' }));
    testMcpServer(server.id).then(
      (tools) =>
        setTested((shown) => ({
          ...shown,
          [server.id]: tools.length ? `Tools: ${tools.map((tool) => tool.name).join(', ')}` : 'No tools',
        })),
      (error) => {
        if (!onForbidden(error)) setTested((shown) => ({ ...shown, [server.id]: messageOf(error) }));
      },
    );
  };

  const save = (input: McpServerInput | McpServerChanges) =>
    (editing ? changeMcpServer(editing.id, input) : createMcpServer(input as McpServerInput)).then(
      () => {
        setEditing(null);
        reload();
        return true;
      },
      (error: unknown) => {
        fail(error);
        return false;
      },
    );

  return (
    <div className="admin-tools">
      <FormProblem problem={problem} />
      {servers.length === 0 ? (
        <p className="muted">No MCP servers yet.</p>
      ) : (
        <table className="data-table" aria-label="MCP servers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Reached by</th>
              <th scope="col">Secrets set</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {servers.map((server) => (
              <tr key={server.id}>
                <td>
                  {server.name}
                  {server.description && <div className="muted">{server.description}</div>}
                </td>
                <td>
                  <code>{server.transport === 'http' ? server.url : [server.command, ...server.args].join(' ')}</code>
                  {tested[server.id] && <div role="status">{tested[server.id]}</div>}
                </td>
                <td>{[...server.headerNames, ...server.envNames].join(', ') || 'none'}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => test(server)}>
                    Test
                  </button>{' '}
                  <button type="button" className="secondary" onClick={() => setEditing(server)}>
                    Change
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => deleteMcpServer(server.id).then(reload, fail)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <McpServerForm
        key={editing?.id ?? 'new'}
        editing={editing}
        onSubmit={save}
        onCancel={() => setEditing(null)}
        onProblem={setProblem}
      />

      <h2>Latest calls</h2>
      {calls.length === 0 ? (
        <p className="muted">No tool calls yet.</p>
      ) : (
        <table className="data-table" aria-label="Tool calls">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Tool</th>
              <th scope="col">Input</th>
              <th scope="col">Result</th>
              <th scope="col">ms</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr key={call.id}>
                <td>{new Date(call.startedAt).toLocaleString()}</td>
                <td>
                  {call.serverName}/{call.toolName}
                </td>
                <td>
                  <code>{briefly(call.input)}</code>
                </td>
                <td>
                  {call.error ? (
                    <span className="form-problem">{call.error}</span>
                  ) : (
                    <code>{briefly(call.output)}</code>
                  )}
                </td>
                <td>{call.durationMs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
