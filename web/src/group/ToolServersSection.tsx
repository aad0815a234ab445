// The conversation's MCP servers: which of the servers an admin registered lend their tools to this conversation's
// models (those with the tools capability). Its owner and admins switch them on and off; members see which are on.
import { useEffect, useState } from 'react';
import { apiRequest } from '../api.ts';
import type { ConversationDetails, OfferedMcpServer } from '../types.ts';
import { changeSettings } from './conversation-api.ts';

type Props = {
  details: ConversationDetails;
  canManage: boolean;
  run: (change: () => Promise<unknown>) => Promise<void>;
};

export function ToolServersSection({ details, canManage, run }: Props) {
  const [servers, setServers] = useState<OfferedMcpServer[]>([]);
  useEffect(() => {
    apiRequest<{ servers: OfferedMcpServer[] }>('GET', '/api/tools/servers').then(
      (found) => setServers(found.servers),
      // Without the list there is nothing to switch: the section stays away.
      () => setServers([]),
    );
  }, []);
  if (servers.length === 0) return null;

  const on = details.settings.mcpServerIds ?? [];
  const toggle = (id: string, checked: boolean) => {
    const next = checked ? [...on, id] : on.filter((other) => other !== id);
    void run(() => changeSettings(details.id, { mcpServerIds: next.length > 0 ? next : null }));
  };
  return (
    <section aria-label="Tools">
      <h3>Tools</h3>
      {servers.map((server) => (
        <label key={server.id} className="checkbox">
          <input
            type="checkbox"
            checked={on.includes(server.id)}
            disabled={!canManage}
            onChange={(event) => toggle(server.id, event.target.checked)}
          />{' '}
          {server.name}
          {server.description && <span className="muted"> — {server.description}</span>}
        </label>
      ))}
    </section>
  );
}
