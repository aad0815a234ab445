// Where a server process is in its life, for load balancers (GET /api/health/ready): ready once started, draining
// from the moment it is asked to stop, when it takes no new requests and lets the replies running finish.
export class Lifecycle {
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  /** From now on the process is stopping: readiness fails, new requests are refused. */
  drain(): void {
    this.stopping = true;
  }
}
