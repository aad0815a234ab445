// Path parameters several groups of routes share.
import { z } from '@hono/zod-openapi';

/** `/api/conversations/{id}/…`: the conversation. */
export const conversationParams = z.object({ id: z.uuid() });
