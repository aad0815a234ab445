// /admin/backups: the backup log (status, size, how long, where), "Back up now", and a finished backup to download
// as a zip. While a run is in progress the log is read again every few seconds.
import { useCallback, useEffect, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import { TableScroll } from '../TableScroll.tsx';
import type { Backup, BackupList } from '../types.ts';
import { backupDownloadPath, listBackups, startBackup } from './admin-api.ts';

const REFRESH_MS = 2_000;

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatDuration(milliseconds: number | null): string {
  if (milliseconds === null) return '—';
  if (milliseconds < 1_000) return `${milliseconds} ms`;
  const seconds = milliseconds / 1_000;
  return seconds < 120 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
}

function describeStatus(backup: Backup): string {
  if (backup.status === 'in_progress' && backup.progress) {
    const { tablesDone, tablesTotal, rows } = backup.progress;
    return `in progress: ${tablesDone}/${tablesTotal} tables, ${rows.toLocaleString()} rows`;
  }
  return backup.status.replace('_', ' ');
}

export function BackupsPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const [list, setList] = useState<BackupList | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const reload = useCallback(() => {
    listBackups()
      .then((found) => {
        setList(found);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
      });
  }, [onForbidden]);

  useEffect(reload, [reload]);
  const running = list?.items.some((item) => item.status === 'started' || item.status === 'in_progress') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, reload]);

  const backUpNow = () => {
    setStarting(true);
    startBackup()
      .then(reload, (error: unknown) => {
        if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
      })
      .finally(() => setStarting(false));
  };

  return (
    <div className="admin-backups">
      <div className="admin-toolbar">
        <button type="button" className="primary" onClick={backUpNow} disabled={starting || running}>
          {running ? 'Backing up…' : 'Back up now'}
        </button>
        {list && (
          <span className="muted">
            To {list.destination}
            {list.intervalMs !== null ? `; every ${formatDuration(list.intervalMs)}` : '; no schedule'}
            {list.keep !== null ? `, keeping ${list.keep}` : ''}
          </span>
        )}
      </div>
      <FormProblem problem={problem} />
      {list && list.items.length === 0 && <p className="muted">No backups yet.</p>}
      {list && list.items.length > 0 && (
        <TableScroll label="Backups">
          <table className="models-table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Size</th>
                <th scope="col">Duration</th>
                <th scope="col">Where</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((backup) => (
                <tr key={backup.id}>
                  <td>{new Date(backup.startedAt).toLocaleString()}</td>
                  <td title={backup.error ?? undefined}>
                    {describeStatus(backup)}
                    {backup.error && <div className="form-problem">{backup.error}</div>}
                  </td>
                  <td>{formatBytes(backup.sizeBytes)}</td>
                  <td>{formatDuration(backup.durationMs)}</td>
                  <td className="muted">{backup.location ?? '—'}</td>
                  <td>
                    {backup.status === 'completed' && (
                      <a href={backupDownloadPath(backup.id)} download>
                        Download
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
