// What the thread panel shows its messages and composer with: the chat's own components, handed to the panel (which
// loads on demand) by the chat. Were the panel's chunk to import them itself, the bundler would split them out of
// the first screen's script into chunks of their own, which the first screen would then load as well.
import { Composer } from '../chat/Composer.tsx';
import { AssistantTurn, UserMessage } from '../chat/MessageView.tsx';
import { webSearchRequest } from '../chat/WebSearchControl.tsx';
import { senderOf } from '../group/GroupSummary.tsx';

export const threadViews = { Composer, AssistantTurn, UserMessage, webSearchRequest, senderOf };

export type ThreadViews = typeof threadViews;
