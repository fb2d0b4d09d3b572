import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { injectAgentChat } from 'rxjs-agents/angular';
import { chatRun } from './chat-run';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header>
      <h1>rxjs-agents chat</h1>
      <span class="status" data-testid="status" [attr.data-status]="chat.status()">{{ chat.status() }}</span>
    </header>

    <main data-testid="messages">
      @for (m of chat.messages(); track m.id) {
        @switch (m.kind) {
          @case ('user') {
            <p class="user" data-kind="user" [class.injected]="m.injected">
              {{ m.text }}
              @if (m.injected) { <small>{{ m.unsent ? 'injected, not sent' : 'injected' }}</small> }
            </p>
          }
          @case ('assistant') {
            <p class="assistant" data-kind="assistant" [attr.data-status]="m.status">{{ m.refusal ?? m.text }}@if (m.status !== 'completed' && m.status !== 'streaming') {<small>{{ m.status }}</small>}</p>
          }
          @case ('reasoning') { <p class="reasoning" data-kind="reasoning" [attr.data-status]="m.status">{{ m.text }}</p> }
          @case ('provider_item') { <p class="provider-item" data-kind="provider_item">{{ m.itemType }}</p> }
          @case ('tool') {
            <div class="tool" data-kind="tool" [attr.data-status]="m.status">
              <code>{{ m.toolName }}({{ json(m.arguments) }})</code>
              <span class="tool-status">{{ m.status }}</span>
              @if (m.status === 'running' && m.progress !== undefined) { <span class="progress">{{ m.progress }}</span> }
              @if (m.output !== undefined) { <span class="output">{{ m.output }}</span> }
              @if (m.error) { <span class="tool-error">{{ m.error }}</span> }
            </div>
          }
          @case ('handoff') { <p class="handoff" data-kind="handoff">{{ m.from }} handed over to {{ m.to }}</p> }
        }
      }
    </main>

    @for (a of chat.pendingApprovals(); track a.callId) {
      <div class="approval" data-testid="approval" [attr.data-call]="a.callId">
        Allow <code>{{ a.toolName }}({{ json(a.arguments) }})</code>?
        <button (click)="chat.approve(a.callId)">Approve</button>
        <button (click)="chat.reject(a.callId, 'The user said no.')">Reject</button>
      </div>
    }

    @if (chat.error(); as error) {
      <p class="error" data-testid="error">The run failed: {{ error.message }}</p>
    }

    <form (submit)="$event.preventDefault(); send()">
      <input data-testid="input" placeholder="Ask about the weather in Paris…" [value]="draft()" (input)="draft.set($any($event.target).value)" />
      <button type="submit" data-testid="send" [disabled]="!draft().trim()">Send</button>
      <button type="button" data-testid="inject" [disabled]="!chat.isRunning() || !draft().trim()" (click)="inject()">Inject</button>
      <button type="button" data-testid="stop" [disabled]="!chat.isRunning()" (click)="chat.stop()">Stop</button>
    </form>
    <footer data-testid="where">
      {{ where }}
      @if (chat.transcript()?.usage?.totalTokens; as tokens) { · {{ tokens }} tokens }
    </footer>
  `,
})
export class ChatComponent {
  private readonly runs = chatRun(location.search);
  readonly where = this.runs.where;
  readonly chat = injectAgentChat({ run: this.runs.run });
  readonly draft = signal('');

  send(): void {
    this.chat.send(this.draft().trim());
    this.draft.set('');
  }

  inject(): void {
    this.chat.inject(this.draft().trim());
    this.draft.set('');
  }

  json(value: unknown): string {
    return JSON.stringify(value);
  }
}
