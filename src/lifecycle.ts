// Where a server process is in its life, for load balancers (GET /api/health/ready): ready once started, draining
// from the moment it is asked to stop, when it takes no new requests and lets the replies running finish.
export class Lifecycle {
  private drainingSince: number | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** From now on the process is stopping: readiness fails, new requests are refused. */
  drain(): void {
    this.drainingSince ??= Date.now();
  }
}
