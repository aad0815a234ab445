// The models a chat starts with: those of its last turn when they can still answer, else the person's default
// models (their preferences) that they may pick, else the first real model (the offline echo only when nothing else
// is configured).
import type { ChorusMessage, PickableModel } from '../types.ts';
import { repliesOf } from './replies.ts';

export function initialModelIds(
  messages: ChorusMessage[],
  models: PickableModel[],
  preferred: readonly string[] = [],
): string[] {
  const pickable = new Set(models.map((model) => model.id));
  const lastTurn = messages.findLast((message) => message.role === 'assistant');
  const previous = lastTurn
    ? repliesOf(lastTurn).flatMap((reply) => (reply.modelId && pickable.has(reply.modelId) ? [reply.modelId] : []))
    : [];
  if (previous.length > 0) return [...new Set(previous)];
  const defaults = preferred.filter((id) => pickable.has(id));
  if (defaults.length > 0) return [...new Set(defaults)];
  const fallback = models.find((model) => model.provider !== 'local') ?? models[0];
  return fallback ? [fallback.id] : [];
}
