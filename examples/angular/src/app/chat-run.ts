import type { ChatRun } from 'rxjs-agents/angular';
import { remoteRun } from 'rxjs-agents/client';
import { localChatRun } from './agent';

/**
 * Where the chat's runs happen. Opened with `?remote=<url>` (where `serveRuns` is
 * mounted, e.g. `/api` with `server.ts`), the agent runs on the server and Stop,
 * inject and approvals cross the wire; otherwise it runs in the page, offline.
 */
export function chatRun(search: string): { readonly run: ChatRun; readonly where: string } {
  const url = new URLSearchParams(search).get('remote');
  if (!url) return { run: localChatRun(), where: 'offline, in the page, on ScriptedModel' };
  // One conversation per page: the server keeps its history between runs.
  const conversationId = crypto.randomUUID();
  return { run: (input, controls) => remoteRun({ url, agent: 'assistant', input, conversationId, ...controls }), where: `on the server at ${url}` };
}
