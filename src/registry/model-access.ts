// Who may use which model, checked in memory: the models open only to some groups, and who is in which group,
// loaded whole and reloaded whenever any process changes them (CHANNELS.modelAccess). Every door that lets a person
// pick a model reads the models through ModelSource.viewFor, whose view carries the ids this person may not use;
// listing leaves those out and picking one is a 403 naming it (chat/model-selection.ts). Holding every membership
// costs a few dozen bytes each, which a self-hosted server's people and groups fit many times over.
import { CHANNELS, type ChangeListener, type Unlisten } from '../db/notifications.ts';
import type { AccessPolicy, ModelAccessStore } from '../store/model-access.ts';
import { afterReconnect } from './model-cache.ts';

const NOTHING: ReadonlySet<string> = new Set();

/** The models `groupsOf` (a person's groups) may not use under the policy. */
export function deniedModels(
  restricted: ReadonlyMap<string, ReadonlySet<string>>,
  groupsOf: ReadonlySet<string>,
): ReadonlySet<string> {
  if (restricted.size === 0) return NOTHING;
  const denied = new Set<string>();
  for (const [modelId, groupIds] of restricted) {
    if (![...groupIds].some((groupId) => groupsOf.has(groupId))) denied.add(modelId);
  }
  return denied;
}

export class ModelAccessPolicy {
  private restricted = new Map<string, ReadonlySet<string>>();
  private groupsByUser = new Map<string, Set<string>>();
  private readonly deniedByUser = new Map<string | null, ReadonlySet<string>>();
  private unlisten: Unlisten | undefined;

  constructor(private readonly store: Pick<ModelAccessStore, 'loadPolicy' | 'onChanged'>) {
    store.onChanged(() => this.reload());
  }

  async start(changes: ChangeListener): Promise<void> {
    this.unlisten = await changes.listen(
      CHANNELS.modelAccess,
      () => void this.reload(),
      afterReconnect(() => void this.reload()),
    );
    await this.reload();
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  async reload(): Promise<void> {
    this.apply(await this.store.loadPolicy());
  }

  /** The ids of the models this person (null: nobody signed in) may not use. */
  deniedFor(userId: string | null): ReadonlySet<string> {
    if (this.restricted.size === 0) return NOTHING;
    let denied = this.deniedByUser.get(userId);
    if (!denied) {
      // Remembered per person until the policy changes; a bounded number of them.
      if (this.deniedByUser.size >= 10_000) this.deniedByUser.clear();
      denied = deniedModels(this.restricted, (userId && this.groupsByUser.get(userId)) || NOTHING);
      this.deniedByUser.set(userId, denied);
    }
    return denied;
  }

  private apply(policy: AccessPolicy): void {
    const groupsByUser = new Map<string, Set<string>>();
    for (const { userId, groupId } of policy.memberships) {
      const groups = groupsByUser.get(userId) ?? new Set();
      groups.add(groupId);
      groupsByUser.set(userId, groups);
    }
    this.restricted = new Map(policy.restricted.map(({ modelId, groupIds }) => [modelId, new Set(groupIds)]));
    this.groupsByUser = groupsByUser;
    this.deniedByUser.clear();
  }
}
