// Zod's issues as import problems: where (a dotted path) and what is wrong. Pure.
import type { z } from 'zod';
import type { ImportProblem } from './imported-conversation.ts';

/** At most this many problems are listed: enough to fix a file, not a response as large as the file. */
export const MAX_PROBLEMS = 100;

export const issuesOf = (error: z.ZodError): ImportProblem[] =>
  error.issues.slice(0, MAX_PROBLEMS).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
