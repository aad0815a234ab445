// The form that registers an MCP server, or changes one: streamable HTTP (a URL, headers) or a command over stdio
// (its arguments and environment). Secrets are never shown back, so when changing a server, headers or environment
// left empty stay as they are.
import { type FormEvent, useId, useState } from 'react';
import type { McpServer, McpServerChanges, McpServerInput } from '../types.ts';
import { linesOf, pairsOf } from './tools-api.ts';

type Props = {
  /** The server being changed; none: a new one. */
  editing: McpServer | null;
  onSubmit: (input: McpServerInput | McpServerChanges) => Promise<boolean>;
  onCancel: () => void;
  onProblem: (problem: string) => void;
};

/** What the form's fields say, as the API takes it; a secret field left empty when changing a server is left out. */
function inputOf(form: HTMLFormElement, transport: McpServerInput['transport'], changing: boolean) {
  const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  const secrets = (name: string, separator: ':' | '=') =>
    changing && field(name).trim() === '' ? {} : { [name]: pairsOf(field(name), separator) };
  const common = { name: field('name').trim(), description: field('description').trim() || null };
  return transport === 'http'
    ? { ...common, transport, url: field('url').trim(), ...secrets('headers', ':') }
    : { ...common, transport, command: field('command').trim(), args: linesOf(field('args')), ...secrets('env', '=') };
}

export function McpServerForm({ editing, onSubmit, onCancel, onProblem }: Props) {
  const ids = useId();
  const [transport, setTransport] = useState<McpServerInput['transport']>(editing?.transport ?? 'http');
  const keep = editing ? ' (empty: unchanged)' : '';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    let input: McpServerInput | McpServerChanges;
    try {
      input = inputOf(form, transport, editing !== null) as McpServerInput;
    } catch (error) {
      onProblem(error instanceof Error ? error.message : String(error));
      return;
    }
    void onSubmit(input).then((done) => done && !editing && form.reset());
  };

  const heading = editing ? `Change ${editing.name}` : 'Register an MCP server';
  return (
    <form className="admin-panel" onSubmit={submit} aria-label={heading}>
      <h2>{heading}</h2>
      <p className="muted">
        Its tools are offered as <code>name__tool</code> to models with the tools capability, in the conversations that
        switch it on.
      </p>
      <label htmlFor={`${ids}-name`}>Name (lower case, digits, dashes)</label>
      <input
        id={`${ids}-name`}
        name="name"
        required
        pattern="[a-z0-9]+(-[a-z0-9]+)*"
        maxLength={32}
        defaultValue={editing?.name}
      />
      <label htmlFor={`${ids}-description`}>Description</label>
      <input id={`${ids}-description`} name="description" maxLength={1000} defaultValue={editing?.description ?? ''} />
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
          <input
            id={`${ids}-url`}
            name="url"
            type="url"
            required
            placeholder="https://mcp.example.com/mcp"
            defaultValue={editing?.url ?? ''}
          />
          <label htmlFor={`${ids}-headers`}>Headers, one a line (never shown again){keep}</label>
          <textarea id={`${ids}-headers`} name="headers" rows={2} placeholder="Authorization: Bearer …" />
        </>
      ) : (
        <>
          <label htmlFor={`${ids}-command`}>Command</label>
          <input
            id={`${ids}-command`}
            name="command"
            required
            placeholder="npx"
            defaultValue={editing?.command ?? ''}
          />
          <label htmlFor={`${ids}-args`}>Arguments, one a line</label>
          <textarea id={`${ids}-args`} name="args" rows={2} defaultValue={editing?.args.join('\n')} />
          <label htmlFor={`${ids}-env`}>Environment, NAME=value a line (never shown again){keep}</label>
          <textarea id={`${ids}-env`} name="env" rows={2} />
        </>
      )}
      <div className="admin-actions">
        <button type="submit" className="primary">
          {editing ? 'Save changes' : 'Register'}
        </button>
        {editing && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
