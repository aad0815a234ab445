// The replies running in this process, per conversation, so a stop request can abort them.
export class ActiveTurns {
  private readonly byConversation = new Map<string, Set<AbortController>>();

  /** Registers a turn; the returned function unregisters it when the turn ends. */
  begin(conversationId: string, controller: AbortController): () => void {
    let turns = this.byConversation.get(conversationId);
    if (!turns) {
      turns = new Set();
      this.byConversation.set(conversationId, turns);
    }
    turns.add(controller);
    return () => {
      turns.delete(controller);
      if (turns.size === 0) this.byConversation.delete(conversationId);
    };
  }

  /** Aborts every running turn of the conversation; returns how many there were. */
  stop(conversationId: string): number {
    const turns = this.byConversation.get(conversationId);
    if (!turns) return 0;
    for (const controller of turns) controller.abort(new Error('stopped by the user'));
    return turns.size;
  }

  isRunning(conversationId: string): boolean {
    return this.byConversation.has(conversationId);
  }

  /** Aborts everything (shutdown). */
  stopAll(): void {
    for (const conversationId of [...this.byConversation.keys()]) this.stop(conversationId);
  }
}
