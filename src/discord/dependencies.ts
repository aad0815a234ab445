// What the Discord side of the domain is built on: the store, the conversation services (every rule of who may
// change a conversation, and the events each change is announced with), and the models each person may pick.
import type { ConversationService } from '../conversations/conversation-service.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelSource } from '../registry/model-source.ts';
import type { Store } from '../store/index.ts';

export type DiscordServiceDependencies = {
  store: Store;
  conversations: ConversationService;
  modelSource: Pick<ModelSource, 'viewFor'>;
  providers: ProviderRegistry;
};
