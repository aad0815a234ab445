// What a tool shows while it runs, before its result: today, the text of a document as the model writes it.
import type { DocumentKind } from '../store/documents.ts';

export type ToolProgress = {
  type: 'document-text';
  documentId: string;
  title: string;
  kind: DocumentKind;
  /** More of the document's content, in order. */
  text: string;
};
