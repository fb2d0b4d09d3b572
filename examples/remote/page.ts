// The browser side: one run on the server at a time, as an Observable.
// Reload the page while it answers: it attaches to the same run again.
import { type Observable, Subject, type Subscription } from 'rxjs';
import { remoteRun } from '../../lib/client/index.js';
import type { StreamEvent } from '../../lib/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const output = $<HTMLPreElement>('output');
const status = $<HTMLSpanElement>('status');
const stop = $<HTMLButtonElement>('stop');
const approvals = $<HTMLDivElement>('approvals');

const url = '/api';
const stop$ = new Subject<string>();
const say$ = new Subject<string>();
let running: Subscription | undefined;

function show(events$: Observable<StreamEvent>): void {
  running?.unsubscribe(); // a new question replaces the old run (and cancels it on the server)
  output.textContent = '';
  stop.disabled = false;
  running = events$.subscribe({
    next: (event) => {
      if (event.type === 'text.delta') output.textContent += event.delta;
      if (event.type === 'run.updated') status.textContent = event.reason ? `${event.status}: ${event.reason}` : event.status;
      if (event.type === 'tool.approval_requested') askApproval(event.toolName, JSON.stringify(event.arguments), event.approve, event.reject);
    },
    error: (error: Error) => finish(`failed: ${error.message}`),
    complete: () => finish(),
  });
}

function finish(text?: string): void {
  if (text) status.textContent = text;
  stop.disabled = true;
  approvals.replaceChildren();
  sessionStorage.removeItem('runId');
}

function askApproval(tool: string, args: string, approve: () => void, reject: (message?: string) => void): void {
  const row = document.createElement('p');
  row.textContent = `Allow ${tool} ${args}? `;
  for (const [label, answer] of [['Allow', approve], ['Refuse', () => reject('The user refused.')]] as const) {
    const button = document.createElement('button');
    button.textContent = label;
    button.onclick = () => (row.remove(), answer());
    row.append(button);
  }
  approvals.append(row);
}

$<HTMLFormElement>('ask').onsubmit = (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('input').value;
  show(remoteRun({ url, agent: 'assistant', input, cancel$: stop$, inject$: say$, onRunId: (id) => sessionStorage.setItem('runId', id) }));
};
$<HTMLFormElement>('say').onsubmit = (e) => {
  e.preventDefault();
  const more = $<HTMLInputElement>('more');
  if (more.value) say$.next(more.value);
  more.value = '';
};
stop.onclick = () => stop$.next('the user pressed Stop');

// After a reload: the run went on on the server; attach to it and replay what it said.
const runId = sessionStorage.getItem('runId');
if (runId) show(remoteRun({ url, runId, cancel$: stop$, inject$: say$ }));
