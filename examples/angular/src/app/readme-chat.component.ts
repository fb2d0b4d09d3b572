// The README's Angular example, verbatim (spec/angular/readme.test.ts checks it): the build type-checks it.
import { Component } from '@angular/core';
import { MemorySession, run } from 'rxjs-agents';
import { injectAgentChat } from 'rxjs-agents/angular';
import { agent } from './agent'; // your Agent

@Component({
  selector: 'app-chat',
  template: `
    @for (m of chat.messages(); track m.id) {
      @switch (m.kind) {
        @case ('user') { <p class="user">{{ m.text }}</p> }
        @case ('assistant') { <p [attr.data-status]="m.status">{{ m.text }}</p> }
        @case ('tool') { <p>{{ m.toolName }}: {{ m.status }} {{ m.progress }}</p> }
      }
    }
    @for (a of chat.pendingApprovals(); track a.callId) {
      Allow {{ a.toolName }}? <button (click)="chat.approve(a.callId)">Yes</button>
      <button (click)="chat.reject(a.callId, 'No.')">No</button>
    }
    @if (chat.error(); as error) { <p>The run failed: {{ error.message }}</p> }
    <input #box (keyup.enter)="chat.send(box.value); box.value = ''" />
    <button (click)="chat.inject(box.value); box.value = ''" [disabled]="!chat.isRunning()">Add to the running answer</button>
    <button (click)="chat.stop()" [disabled]="!chat.isRunning()">Stop</button>
    <span>{{ chat.status() }}</span>
  `,
})
export class ChatComponent {
  private readonly session = new MemorySession('chat'); // the conversation, across runs
  readonly chat = injectAgentChat({
    run: (input, controls) => run(agent, input, { ...controls, session: this.session }),
  });
}
