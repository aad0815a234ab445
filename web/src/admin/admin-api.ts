// The admin API as the admin pages use it (README "Administering the model registry"): the model registry and
// usage. Model ids hold `:` and `/`, so every path names them URL-encoded.
import { apiRequest } from '../api.ts';
import type {
  AdministeredUser,
  AdminModel,
  Backup,
  BackupList,
  DeletedUser,
  ImportResult,
  KnownConfigKey,
  MetricSeries,
  ModelAccess,
  ModelCapability,
  ModelChangeResult,
  ModelDefinition,
  ModelStatus,
  Page,
  ResponseBody,
  SystemConfig,
  SystemConfigChange,
  UsageGrouping,
  UsageReport,
  UserGroup,
  UserList,
} from '../types.ts';

/**
 * Every value of a union of the API's types, listed once for the app to offer: a value missing or one too many is
 * a type error, so the list follows the server's enum.
 */
const everyValueOf =
  <Value extends string>() =>
  <const List extends readonly Value[]>(list: List & ([Value] extends [List[number]] ? unknown : never)) =>
    list;

export const MODEL_STATUSES = everyValueOf<ModelStatus>()(['active', 'beta', 'deprecated', 'disabled']);
export const MODEL_CAPABILITIES = everyValueOf<ModelCapability>()([
  'vision',
  'tools',
  'reasoning',
  'web_search',
  'json_output',
  'audio',
  'pdf',
]);

/** One problem of a refused import: the entry (its index in the file), the field, what is wrong. */
export type ImportProblem = { index: number | null; field: string; message: string };

/** One problem of a refused create or edit, as `describeIssues` (src/http/errors.ts) reports it. */
export type FieldProblem = { path: string; message: string };

export type ModelFilters = { search: string; provider: string; status: string; capability: string };

const modelPath = (id: string) => `/api/admin/models/${encodeURIComponent(id)}`;

export function listModels(filters: ModelFilters, cursor: string | null, limit = 50): Promise<Page<AdminModel>> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filters.search.trim()) query.set('search', filters.search.trim());
  if (filters.provider.trim()) query.set('provider', filters.provider.trim());
  if (filters.status) query.set('status', filters.status);
  if (filters.capability) query.set('capability', filters.capability);
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', `/api/admin/models?${query}`);
}

export const getModel = (id: string) => apiRequest<AdminModel>('GET', modelPath(id));

export const createModel = (model: ModelDefinition, reason?: string) =>
  apiRequest<AdminModel>('POST', '/api/admin/models', { ...model, ...(reason ? { reason } : {}) });

export const updateModel = (id: string, updates: Record<string, unknown>, expectedVersion: number, reason?: string) =>
  apiRequest<ModelChangeResult>('PATCH', modelPath(id), { updates, expectedVersion, ...(reason ? { reason } : {}) });

export const duplicateModel = (id: string, newId: string, reason?: string) =>
  apiRequest<AdminModel>('POST', `${modelPath(id)}/duplicate`, { newId, ...(reason ? { reason } : {}) });

export const changeModelStatus = (id: string, action: 'deprecate' | 'disable' | 'restore', reason?: string) =>
  apiRequest<ModelChangeResult>('POST', `${modelPath(id)}/${action}`, reason ? { reason } : {});

export const modelHistory = async (id: string) =>
  (await apiRequest<ResponseBody<'/api/admin/models/{id}/history', 'get'>>('GET', `${modelPath(id)}/history`)).items;

export const revertModel = (id: string, toVersion: number, reason?: string) =>
  apiRequest<ModelChangeResult>('POST', `${modelPath(id)}/revert`, { toVersion, ...(reason ? { reason } : {}) });

export const exportModels = () => apiRequest<ModelDefinition[]>('GET', '/api/admin/models/export');

export function importModels(entries: unknown, options: { dryRun: boolean; reason?: string }): Promise<ImportResult> {
  const query = new URLSearchParams();
  if (options.dryRun) query.set('dryRun', '1');
  if (options.reason) query.set('reason', options.reason);
  return apiRequest('POST', `/api/admin/models/import?${query}`, entries);
}

export function usage(from: string, to: string, groupBy: UsageGrouping) {
  const query = new URLSearchParams({ from, to, groupBy });
  return apiRequest<UsageReport>('GET', `/api/admin/usage?${query}`);
}

/** The server's activity over the last `hours` (GET /api/admin/metrics). */
export const metricSeries = (hours: number) => apiRequest<MetricSeries>('GET', `/api/admin/metrics?hours=${hours}`);

const configPath = (key: string) => `/api/admin/config/${encodeURIComponent(key)}`;

export const listConfig = async () => (await apiRequest<{ items: SystemConfig[] }>('GET', '/api/admin/config')).items;
export const knownConfigKeys = async () =>
  (await apiRequest<{ items: KnownConfigKey[] }>('GET', '/api/admin/config/keys')).items;
export const setConfig = (key: string, value: unknown) => apiRequest<SystemConfig>('PUT', configPath(key), { value });
export const configHistory = async (key: string) =>
  (await apiRequest<{ items: SystemConfigChange[] }>('GET', `${configPath(key)}/history`)).items;
export const listBackups = () => apiRequest<BackupList>('GET', '/api/admin/backups');
export const startBackup = () => apiRequest<Backup>('POST', '/api/admin/backups');
export const backupDownloadPath = (id: string) => `/api/admin/backups/${encodeURIComponent(id)}/download`;

export function listUsers(search: string, offset: number, limit = 50): Promise<UserList> {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (search.trim()) query.set('q', search.trim());
  return apiRequest('GET', `/api/admin/users?${query}`);
}

export type UserChanges = Partial<Pick<AdministeredUser, 'role' | 'isActive' | 'messagesPerDay'>>;

export const changeUser = (id: string, changes: UserChanges) =>
  apiRequest<AdministeredUser>('PATCH', `/api/admin/users/${id}`, changes);

export const deleteUser = (id: string, conversations: 'delete' | 'hand-over') =>
  apiRequest<DeletedUser>('DELETE', `/api/admin/users/${id}?conversations=${conversations}`);

export const listGroups = async () => (await apiRequest<{ groups: UserGroup[] }>('GET', '/api/admin/groups')).groups;

export const createGroup = (name: string) => apiRequest<UserGroup>('POST', '/api/admin/groups', { name });

export const deleteGroup = (id: string) => apiRequest<void>('DELETE', `/api/admin/groups/${id}`);

export const setGroupMembers = (id: string, userIds: string[]) =>
  apiRequest<void>('PUT', `/api/admin/groups/${id}/members`, { userIds });

export const listRestrictedModels = async () =>
  (await apiRequest<{ restricted: ModelAccess[] }>('GET', '/api/admin/model-access')).restricted;

/** `groupIds` null opens the model to everyone. */
export const setModelAccess = (modelId: string, groupIds: string[] | null) =>
  apiRequest<void>(
    'PUT',
    `/api/admin/model-access/${encodeURIComponent(modelId)}`,
    groupIds === null ? { everyone: true } : { groupIds },
  );
