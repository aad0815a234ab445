// /admin/tools: the MCP servers whose tools models may call in conversations that switch them on — registered
// (streamable HTTP: a URL and headers such as a token; stdio: a command, its arguments and environment), tested,
// deleted — and the latest calls made to them. Secrets are sent once and never shown back: only their names.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import type { McpServer, McpServerInput, ToolCallRecord } from '../types.ts';
import {
  createMcpServer,
  deleteMcpServer,
  linesOf,
  listMcpServers,
  listToolCalls,
  pairsOf,
  testMcpServer,
} from './tools-api.ts';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const briefly = (value: unknown) => {
  const text = JSON.stringify(value) ?? '';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

export function ToolsPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const ids = useId();
  const [servers, setServers] = useState<McpServer[]>([]);
  const [calls, setCalls] = useState<ToolCallRecord[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const [transport, setTransport] = useState<McpServerInput['transport']>('http');

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

  const register = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    let input: McpServerInput;
    try {
      const common = { name: field('name').trim(), description: field('description').trim() || null };
      input =
        transport === 'http'
          ? { ...common, transport, url: field('url').trim(), headers: pairsOf(field('headers'), ':') }
          : {
              ...common,
              transport,
              command: field('command').trim(),
              args: linesOf(field('args')),
              env: pairsOf(field('env'), '='),
            };
    } catch (error) {
      setProblem(messageOf(error));
      return;
    }
    createMcpServer(input).then(() => {
      form.reset();
      reload();
    }, fail);
  };

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

      <form className="admin-panel" onSubmit={register} aria-label="Register an MCP server">
        <h2>Register an MCP server</h2>
        <p className="muted">
          Its tools are offered as <code>name__tool</code> to models with the tools capability, in the conversations
          that switch it on.
        </p>
        <label htmlFor={`${ids}-name`}>Name (lower case, digits, dashes)</label>
        <input id={`${ids}-name`} name="name" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxLength={32} />
        <label htmlFor={`${ids}-description`}>Description</label>
        <input id={`${ids}-description`} name="description" maxLength={1000} />
        <label htmlFor={`${ids}-transport`}>Transport</label>
        <select
          id={`${ids}-transport`}
          value={transport}
          onChange={(event) => setTransport(event.target.value as McpServerInput['transport'])}
        >
          <option value="http">Streamable HTTP</option>
          <option value="stdio">Command (stdio)</option>
        </select>
        {transport === 'http' ? (
          <>
            <label htmlFor={`${ids}-url`}>URL</label>
            <input id={`${ids}-url`} name="url" type="url" required placeholder="https://mcp.example.com/mcp" />
            <label htmlFor={`${ids}-headers`}>Headers, one a line (never shown again)</label>
            <textarea id={`${ids}-headers`} name="headers" rows={2} placeholder="Authorization: Bearer …" />
          </>
        ) : (
          <>
            <label htmlFor={`${ids}-command`}>Command</label>
            <input id={`${ids}-command`} name="command" required placeholder="npx" />
            <label htmlFor={`${ids}-args`}>Arguments, one a line</label>
            <textarea id={`${ids}-args`} name="args" rows={2} />
            <label htmlFor={`${ids}-env`}>Environment, NAME=value a line (never shown again)</label>
            <textarea id={`${ids}-env`} name="env" rows={2} />
          </>
        )}
        <div className="admin-actions">
          <button type="submit" className="primary">
            Register
          </button>
        </div>
      </form>

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
