// The admin pages (/admin/models, /admin/usage), loaded only when an admin opens one (Chart.js stays out of the
// chat's first load). Anyone else gets the not-allowed page, and so does an admin whose role the API no longer
// grants (a 403 from any admin request).
import { useCallback, useState } from 'react';
import { ApiError } from '../api.ts';
import type { Profile } from '../types.ts';
import { BackupsPage } from './BackupsPage.tsx';
import { ModelsPage } from './ModelsPage.tsx';
import { NotAllowed } from './NotAllowed.tsx';
import { UsagePage } from './UsagePage.tsx';

export type AdminSection = 'models' | 'usage' | 'backups' | 'unknown';

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
      <h1 className="admin-title">
        {section === 'usage'
          ? 'Usage'
          : section === 'models'
            ? 'Models'
            : section === 'backups'
              ? 'Backups'
              : 'Page not found'}
      </h1>
      {section === 'models' && <ModelsPage profile={profile} onForbidden={onForbidden} />}
      {section === 'usage' && <UsagePage onForbidden={onForbidden} />}
      {section === 'backups' && <BackupsPage onForbidden={onForbidden} />}
    </div>
  );
}
