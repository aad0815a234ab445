// The document tools a model with the `tools` capability is offered, named as in the AI SDK's Chat SDK so its
// users recognise them: createDocument (the content written by the same model, streamed into the document as it
// comes, then saved as version 1), updateDocument (a revision saved as the next version) and requestSuggestions
// (edits proposed on the current version, for a person to accept or reject). They act for the person whose message
// the model answers, in that conversation, so the documents belong to it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { batchDeltas } from '../performance/delta-batch.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { DocumentKind, DocumentStore } from '../store/documents.ts';
import type { ReplyTool, Toolbox, ToolboxContext, ToolRunContext } from '../tools/reply-tools.ts';
import { documentInstructions, writeWithModel } from './document-writing.ts';
import { readSuggestions, SUGGESTION_INSTRUCTIONS } from './suggestion-edits.ts';

export type DocumentToolsDependencies = { documents: DocumentStore; providers: ProviderRegistry };

const createInput = z.object({
  title: z.string().trim().min(1).max(200),
  kind: z.enum(['text', 'code', 'sheet']),
});
const updateInput = z.object({
  id: z.uuid(),
  description: z.string().trim().min(1).max(4_000),
});
const suggestionsInput = z.object({ documentId: z.uuid() });

/**
 * Writes a document's content with the model, its text shown as it comes: the pieces of one burst go out as one
 * progress event, as a reply's text does (see delta-batch.ts).
 */
async function writeShown(
  context: ToolRunContext,
  shown: { documentId: string; title: string; kind: DocumentKind },
  writing: Parameters<typeof writeWithModel>[0],
): Promise<string> {
  const deltas = batchDeltas((text) => context.progress({ type: 'document-text', ...shown, text }));
  const { text, usage } = await writeWithModel(writing, deltas.add);
  deltas.flush();
  context.recordUsage(usage);
  return text;
}

/** The three document tools for one reply. */
export function documentTools({ documents, providers }: DocumentToolsDependencies, reply: ToolboxContext): Toolbox {
  const { actor, conversationId, model } = reply;
  const createDocument: ReplyTool<z.infer<typeof createInput>> = {
    description:
      'Create a document (text, code, or a sheet as CSV) for writing or content creation; its content is written from the title. Use for substantial content a person may edit, not for short answers.',
    inputSchema: createInput,
    async execute({ title, kind }, context) {
      const id = randomUUID();
      const { text, usage } = await writeWithModel(
        {
          providers,
          model,
          instructions: documentInstructions(kind),
          request: title,
          abortSignal: context.abortSignal,
        },
        (text) => context.progress({ type: 'document-text', documentId: id, title, kind, text }),
      );
      context.recordUsage(usage);
      const saved = await documents.create({ actor, id, title, kind, content: text, conversationId });
      return {
        id: saved.id,
        title,
        kind,
        createdAt: saved.createdAt.toISOString(),
        content: 'The document was created and is shown to the user.',
      };
    },
  };
  const updateDocument: ReplyTool<z.infer<typeof updateInput>> = {
    description: 'Update a document with the given description of the changes; saved as its next version.',
    inputSchema: updateInput,
    async execute({ id, description }, context) {
      const latest = await documents.getLatest({ actor, id });
      const { title, kind } = latest;
      const text = await writeShown(
        context,
        { documentId: id, title, kind },
        {
          providers,
          model,
          instructions: documentInstructions(kind, latest.content ?? ''),
          request: description,
          abortSignal: context.abortSignal,
        },
      );
      const saved = await documents.save({ actor, id, title, kind, content: text });
      return { id, title, kind, createdAt: saved.createdAt.toISOString(), content: 'The document was updated.' };
    },
  };
  const requestSuggestions: ReplyTool<z.infer<typeof suggestionsInput>> = {
    description: 'Request suggestions (edits with a reason each) for a document; the user accepts or rejects them.',
    inputSchema: suggestionsInput,
    async execute({ documentId }, context) {
      const latest = await documents.getLatest({ actor, id: documentId });
      const content = latest.content ?? '';
      const { text, usage } = await writeWithModel({
        providers,
        model,
        instructions: SUGGESTION_INSTRUCTIONS,
        request: content,
        abortSignal: context.abortSignal,
      });
      context.recordUsage(usage);
      const saved = await documents.saveSuggestions({
        actor,
        documentId,
        documentCreatedAt: latest.createdAt,
        suggestions: readSuggestions(text, content),
      });
      return {
        id: documentId,
        title: latest.title,
        kind: latest.kind,
        suggestions: saved.map(({ id, originalText, suggestedText, description }) => ({
          id,
          originalText,
          suggestedText,
          description,
        })),
      };
    },
  };
  return { createDocument, updateDocument, requestSuggestions };
}
