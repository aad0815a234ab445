// The admin pages (/admin/models, /admin/users, /admin/access, /admin/tools, /admin/usage, /admin/metrics,
// /admin/config, /admin/discord, /admin/backups), loaded only when an admin opens one (Chart.js stays out of the
// chat's first load). Anyone else gets the not-allowed page, and so does an admin whose role the API no longer
// grants (a 403 from any admin request).
import { useCallback, useState } from 'react';
import { ApiError } from '../api.ts';
import type { AdminPage } from '../router.ts';
import type { Profile } from '../types.ts';
import { AccessPage } from './AccessPage.tsx';
import { BackupsPage } from './BackupsPage.tsx';
import { ConfigPage } from './ConfigPage.tsx';
import { DiscordPage } from './DiscordPage.tsx';
import { MetricsPage } from './MetricsPage.tsx';
import { ModelsPage } from './ModelsPage.tsx';
import { NotAllowed } from './NotAllowed.tsx';
import { ToolsPage } from './ToolsPage.tsx';
import { UsagePage } from './UsagePage.tsx';
import { UsersPage } from './UsersPage.tsx';

export type AdminSection = AdminPage | 'unknown';

const TITLES: Record<AdminSection, string> = {
  models: 'Models',
  users: 'People',
  access: 'Model access',
  tools: 'Tools (MCP servers)',
  usage: 'Usage',
  metrics: 'Metrics',
  config: 'System configuration',
  discord: 'Discord',
  backups: 'Backups',
  unknown: 'Page not found',
};

export default function AdminScreen({ profile, section }: { profile: Profile; section: AdminSection }) {
  const [forbidden, setForbidden] = useState(false);
  const onForbidden = useCallback((error: unknown) => {
    const refused = error instanceof ApiError && (error.status === 403 || error.status === 401);
    if (refused) setForbidden(true);
    return refused;
  }, []);

  if (forbidden || profile.role !== 'admin') return <NotAllowed />;
  return (
    <div className="admin">
      <h1 className="admin-title">{TITLES[section]}</h1>
      {section === 'models' && <ModelsPage profile={profile} onForbidden={onForbidden} />}
      {section === 'users' && <UsersPage profile={profile} onForbidden={onForbidden} />}
      {section === 'access' && <AccessPage onForbidden={onForbidden} />}
      {section === 'tools' && <ToolsPage onForbidden={onForbidden} />}
      {section === 'usage' && <UsagePage onForbidden={onForbidden} />}
      {section === 'metrics' && <MetricsPage onForbidden={onForbidden} />}
      {section === 'config' && <ConfigPage onForbidden={onForbidden} />}
      {section === 'discord' && <DiscordPage onForbidden={onForbidden} />}
      {section === 'backups' && <BackupsPage onForbidden={onForbidden} />}
    </div>
  );
}
