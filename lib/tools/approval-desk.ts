import { Observable } from 'rxjs';

/** An answer to a tool approval request. */
export interface ToolApprovalDecision {
  readonly callId: string;
  readonly approved: boolean;
  /** For a rejection: what the model is told. */
  readonly message?: string;
}

/**
 * Matches approval decisions to the calls waiting for them. A decision may come
 * before the request (approving in advance); it is kept until the call asks.
 */
export class ApprovalDesk {
  private readonly decided = new Map<string, ToolApprovalDecision>();
  private readonly waiting = new Map<string, (decision: ToolApprovalDecision) => void>();

  decide(decision: ToolApprovalDecision): void {
    const waiter = this.waiting.get(decision.callId);
    if (waiter) waiter(decision);
    else if (!this.decided.has(decision.callId)) this.decided.set(decision.callId, decision);
  }

  /** Whether the call asked for a decision and has none yet. */
  isWaiting(callId: string): boolean {
    return this.waiting.has(callId);
  }

  /** The decision for a call: at once if known, else when it comes. Unsubscribing stops waiting. */
  decision$(callId: string): Observable<ToolApprovalDecision> {
    return new Observable<ToolApprovalDecision>((subscriber) => {
      const known = this.decided.get(callId);
      if (known) {
        this.decided.delete(callId);
        subscriber.next(known);
        subscriber.complete();
        return;
      }
      this.waiting.set(callId, (decision) => {
        this.waiting.delete(callId);
        subscriber.next(decision);
        subscriber.complete();
      });
      return () => this.waiting.delete(callId);
    });
  }
}
