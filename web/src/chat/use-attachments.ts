// The files attached to the message being written: each is uploaded as soon as it is chosen (POST /api/files),
// so sending only names the uploads as AI SDK file parts. A refused upload (413 too large, 415 not an image or PDF,
// 400) stays in the list with the API's reason until it is removed.
import type { FileUIPart } from 'ai';
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiUpload } from '../api.ts';
import type { UploadedFile } from '../types.ts';

export type Attachment = {
  key: string;
  name: string;
  /** The type the browser declared; the server's verdict replaces it once uploaded. */
  mediaType: string;
  /** A local preview of an image, while it is on screen. */
  previewUrl: string | null;
} & ({ state: 'uploading' } | { state: 'ready'; part: FileUIPart } | { state: 'failed'; problem: string });

export function useAttachments() {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  // Previews are object URLs: each is released when its attachment goes, and all when the composer does.
  const previews = useRef(new Map<string, string>());
  useEffect(() => {
    const open = previews.current;
    return () => {
      for (const url of open.values()) URL.revokeObjectURL(url);
    };
  }, []);

  const settle = useCallback((key: string, change: Partial<Attachment> & Pick<Attachment, 'state'>) => {
    setAttachments((current) =>
      current.map((item) => (item.key === key ? ({ ...item, ...change } as Attachment) : item)),
    );
  }, []);

  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const key = crypto.randomUUID();
        const previewUrl = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
        if (previewUrl) previews.current.set(key, previewUrl);
        setAttachments((current) => [
          ...current,
          { key, name: file.name, mediaType: file.type, previewUrl, state: 'uploading' },
        ]);
        const form = new FormData();
        form.append('file', file);
        apiUpload<UploadedFile>('/api/files', form).then(
          (upload) =>
            settle(key, {
              state: 'ready',
              mediaType: upload.mediaType,
              part: { type: 'file', url: upload.url, mediaType: upload.mediaType, filename: upload.name },
            }),
          (error: unknown) =>
            settle(key, { state: 'failed', problem: error instanceof Error ? error.message : String(error) }),
        );
      }
    },
    [settle],
  );

  const remove = useCallback((key: string) => {
    releasePreviews(previews.current, [key]);
    setAttachments((current) => current.filter((item) => item.key !== key));
  }, []);

  const clear = useCallback(() => {
    releasePreviews(previews.current, [...previews.current.keys()]);
    setAttachments([]);
  }, []);

  return { attachments, add, remove, clear };
}

/** Lets the browser free the previews of these attachments. */
function releasePreviews(previews: Map<string, string>, keys: Iterable<string>) {
  for (const key of keys) {
    const url = previews.get(key);
    if (url) URL.revokeObjectURL(url);
    previews.delete(key);
  }
}
