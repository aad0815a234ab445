// Reading ChatGPT's data export (`conversations.json`: a list of conversations, each a tree of message nodes in
// `mapping`, with `current_node` the leaf the person last saw) as conversations to import. Each conversation is
// flattened to the branch that ends at its current node, as ChatGPT shows it; regenerated replies and edits on
// other branches are left out, and so are the messages ChatGPT hides (system prompts, tool calls, empty ones).
// Pure functions.
import { z } from 'zod';
import type { MessagePart } from '../db/schema/index.ts';
import type { ImportedConversation, ImportedMessage, ImportProblem } from './imported-conversation.ts';
import { issuesOf } from './zod-issues.ts';

/** Where ChatGPT's replies come from in this registry: `openai:<model slug>`. */
export const CHATGPT_PROVIDER = 'openai';

/** The one person of a ChatGPT export: whoever imports it. */
const CHATGPT_USER = 'chatgpt-user';

const seconds = z.number().nullable().optional();

const chatGptMessageSchema = z.looseObject({
  id: z.string(),
  author: z.looseObject({ role: z.string(), name: z.string().nullable().optional() }),
  create_time: seconds,
  content: z.looseObject({
    content_type: z.string(),
    parts: z.array(z.unknown()).optional(),
    text: z.string().optional(),
  }),
  status: z.string().optional(),
  metadata: z
    .looseObject({
      model_slug: z.string().nullable().optional(),
      is_visually_hidden_from_conversation: z.boolean().nullable().optional(),
    })
    .nullable()
    .optional(),
});

const chatGptNodeSchema = z.looseObject({
  id: z.string(),
  message: chatGptMessageSchema.nullable().optional(),
  parent: z.string().nullable().optional(),
  children: z.array(z.string()).optional(),
});

const chatGptConversationSchema = z
  .looseObject({
    title: z.string().nullable().optional(),
    create_time: seconds,
    update_time: seconds,
    mapping: z.record(z.string(), chatGptNodeSchema),
    current_node: z.string().nullable().optional(),
    default_model_slug: z.string().nullable().optional(),
  })
  .superRefine((conversation, context) => {
    const { mapping, current_node: current } = conversation;
    if (current && !(current in mapping)) {
      context.addIssue({
        code: 'custom',
        path: ['current_node'],
        message: `names ${current}, which is not in mapping`,
      });
    }
    for (const [key, node] of Object.entries(mapping)) {
      if (node.parent && !(node.parent in mapping)) {
        context.addIssue({
          code: 'custom',
          path: ['mapping', key, 'parent'],
          message: `names ${node.parent}, which is not in mapping`,
        });
      }
    }
  });

export const chatGptExportSchema = z.array(chatGptConversationSchema).min(1, 'the export holds no conversations');

type ChatGptConversation = z.infer<typeof chatGptConversationSchema>;
type ChatGptNode = z.infer<typeof chatGptNodeSchema>;

/** A list of conversations (conversations.json) or one of them. */
export function readChatGptExport(
  input: unknown,
): { conversations: ImportedConversation[] } | { problems: ImportProblem[] } {
  const parsed = chatGptExportSchema.safeParse(Array.isArray(input) ? input : [input]);
  if (!parsed.success) return { problems: issuesOf(parsed.error) };
  const problems: ImportProblem[] = [];
  const conversations = parsed.data.map((conversation, index) => {
    const branch = currentBranch(conversation);
    if ('cycle' in branch) {
      problems.push({ path: `${index}.mapping`, message: `its parent links loop back at node ${branch.cycle}` });
      return null;
    }
    return toImported(conversation, branch.nodes);
  });
  if (problems.length > 0) return { problems };
  return { conversations: conversations.filter((conversation) => conversation !== null) };
}

/** The nodes from the root to the current node (the last child of each node, when the export names none). */
function currentBranch(conversation: ChatGptConversation): { nodes: ChatGptNode[] } | { cycle: string } {
  const { mapping } = conversation;
  let leaf = conversation.current_node ?? null;
  if (!leaf) {
    const root = Object.values(mapping).find((node) => !node.parent);
    let node = root;
    while (node?.children?.length) node = mapping[node.children.at(-1)!];
    leaf = node?.id ?? null;
  }
  const nodes: ChatGptNode[] = [];
  const visited = new Set<string>();
  for (let id = leaf; id; id = mapping[id]?.parent ?? null) {
    if (visited.has(id)) return { cycle: id };
    visited.add(id);
    const node = mapping[id];
    if (node) nodes.push(node);
  }
  return { nodes: nodes.reverse() };
}

/** The text a message shows: its string parts (text and multimodal text), or its code. */
function textOfContent(content: NonNullable<ChatGptNode['message']>['content']): string {
  if (content.content_type === 'text' || content.content_type === 'multimodal_text') {
    return (content.parts ?? []).filter((part): part is string => typeof part === 'string').join('\n\n');
  }
  if (content.content_type === 'code' && content.text) return `\`\`\`\n${content.text}\n\`\`\``;
  return '';
}

function toImported(conversation: ChatGptConversation, branch: ChatGptNode[]): ImportedConversation {
  const startedAt = timeOf(conversation.create_time) ?? new Date();
  const messages: ImportedMessage[] = [];
  let previous: ImportedMessage | null = null;
  const modelIds = new Set<string>();
  for (const node of branch) {
    const message = node.message;
    if (!message) continue;
    const role = message.author.role;
    if (role !== 'user' && role !== 'assistant') continue;
    if (message.metadata?.is_visually_hidden_from_conversation) continue;
    const text = textOfContent(message.content).trim();
    if (!text) continue;
    const slug = role === 'assistant' ? (message.metadata?.model_slug ?? conversation.default_model_slug) : null;
    const model = slug ? { id: `${CHATGPT_PROVIDER}:${slug}`, name: slug } : null;
    if (model) modelIds.add(model.id);
    // Never before the message it follows: messages are kept in order of time.
    const written = timeOf(message.create_time) ?? previous?.createdAt ?? startedAt;
    const createdAt = previous && written < previous.createdAt ? previous.createdAt : written;
    const parts: MessagePart[] = [{ type: 'text', text }];
    const imported: ImportedMessage = {
      sourceId: message.id,
      parentSourceId: role === 'assistant' ? (previous?.sourceId ?? null) : null,
      role,
      senderSourceId: role === 'user' ? CHATGPT_USER : null,
      speakerName: null,
      model,
      modelVersion: null,
      status: 'complete',
      content: text,
      parts,
      fileIds: [],
      isFirstResponder: false,
      hasWebSearch: false,
      webSearchContextSize: null,
      usage: { inputTokens: null, outputTokens: null, cachedInputTokens: null },
      costUsd: null,
      latencyMs: null,
      metadata: {},
      myVote: null,
      createdAt,
    };
    messages.push(imported);
    previous = imported;
  }
  return {
    peopleSourceIds: [CHATGPT_USER],
    exporterSourceId: CHATGPT_USER,
    title: conversation.title ? conversation.title.slice(0, 255) : null,
    visibility: 'private',
    origin: 'web',
    parameters: {},
    settings: {},
    modelIds: [...modelIds],
    createdAt: startedAt,
    messages,
    files: [],
  };
}

const timeOf = (value: number | null | undefined) =>
  typeof value === 'number' && Number.isFinite(value) ? new Date(Math.round(value * 1000)) : null;
