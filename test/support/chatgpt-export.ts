// A ChatGPT data export (conversations.json), written for the tests after the format's published shape: each
// conversation a tree of nodes in `mapping` (root, a hidden system message, then the turns), `current_node` the
// leaf the person last saw. The first conversation has an edited question (two branches) and a regenerated reply
// (two answers to one question); the current branch is the edit's, with the second answer.
const node = (
  id: string,
  parent: string | null,
  children: string[],
  message: null | {
    role: 'user' | 'assistant' | 'system' | 'tool';
    text?: string;
    at?: number;
    model?: string;
    hidden?: boolean;
    contentType?: string;
  },
) => ({
  id,
  parent,
  children,
  message: message && {
    id: `msg-${id}`,
    author: { role: message.role, name: null, metadata: {} },
    create_time: message.at ?? null,
    update_time: null,
    content: { content_type: message.contentType ?? 'text', parts: message.text === undefined ? [] : [message.text] },
    status: 'finished_successfully',
    end_turn: message.role === 'assistant' ? true : null,
    weight: 1,
    metadata: {
      ...(message.model ? { model_slug: message.model } : {}),
      ...(message.hidden ? { is_visually_hidden_from_conversation: true } : {}),
    },
    recipient: 'all',
  },
});

export const T0 = 1_700_000_000;

export const chatGptExport = [
  {
    title: 'Tides and the moon',
    create_time: T0,
    update_time: T0 + 400,
    mapping: {
      root: node('root', null, ['system'], null),
      system: node('system', 'root', ['q1', 'q1-edit'], { role: 'system', text: '', hidden: true }),
      q1: node('q1', 'system', ['a1'], { role: 'user', text: 'Why are there tides?', at: T0 + 10 }),
      a1: node('a1', 'q1', [], { role: 'assistant', text: 'Old branch answer', at: T0 + 20, model: 'gpt-4o' }),
      'q1-edit': node('q1-edit', 'system', ['a2', 'a2-retry'], {
        role: 'user',
        text: 'Why are there two tides a day?',
        at: T0 + 100,
      }),
      a2: node('a2', 'q1-edit', [], {
        role: 'assistant',
        text: 'First answer, regenerated',
        at: T0 + 110,
        model: 'gpt-4o',
      }),
      'a2-retry': node('a2-retry', 'q1-edit', ['tool'], {
        role: 'assistant',
        text: 'Because the Earth and Moon orbit a common centre.',
        at: T0 + 120,
        model: 'gpt-4o',
      }),
      tool: node('tool', 'a2-retry', ['q2'], { role: 'tool', text: 'search results', at: T0 + 125 }),
      q2: node('q2', 'tool', ['a3'], { role: 'user', text: 'Thanks!', at: T0 + 200 }),
      a3: node('a3', 'q2', [], { role: 'assistant', text: 'You are welcome.', at: T0 + 210, model: 'o9-unknown' }),
    },
    moderation_results: [],
    current_node: 'a3',
    plugin_ids: null,
    conversation_id: '6f0c2a4e-0000-4000-8000-000000000001',
    conversation_template_id: null,
    gizmo_id: null,
    is_archived: false,
    safe_urls: [],
    default_model_slug: 'gpt-4o',
    id: '6f0c2a4e-0000-4000-8000-000000000001',
  },
  {
    title: 'Short one',
    create_time: T0 + 1000,
    update_time: T0 + 1010,
    mapping: {
      r: node('r', null, ['u'], null),
      u: node('u', 'r', ['a'], { role: 'user', text: 'Hello', at: T0 + 1001 }),
      a: node('a', 'u', [], { role: 'assistant', text: 'Hi there', at: T0 + 1002, model: 'gpt-4o' }),
    },
    current_node: 'a',
    default_model_slug: 'gpt-4o',
    id: '6f0c2a4e-0000-4000-8000-000000000002',
  },
];
