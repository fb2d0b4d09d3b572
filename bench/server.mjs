// A local stand-in for the OpenAI Responses API (POST …/v1/responses, stream: true),
// speaking the SSE event shapes of the `openai` package's types. It runs in the
// benchmark's parent process; contenders run in child processes and reach it over
// 127.0.0.1 with a plain OpenAI-style base URL whose path selects the script:
//
//   /text/<n>/v1                    one message streamed as <n> text deltas
//   /slow/<ms>/<id>/v1              one message, a delta every <ms> ms until the client
//                                   closes; the close time (hrtime, ns) is kept under <id>
//   /spread/<ms>/<id>/v1            the same, but each stream ticks on its own phase (from
//                                   its start), as independent users' streams do, instead of
//                                   all slow streams of one interval in the same tick
//   /tools/<n>/v1                   a function_call while the input holds fewer than <n>
//                                   function_call_output items, then a short final answer
//   /toolwait/v1                    always a function_call (for cancels while a tool runs)
//   /hist/v1                        a one-word answer ("ok") to a request of any size (the
//                                   body is read, not parsed: the history curve sends megabytes)
//
// Control endpoints (GET): /_closed/<id> waits for slow stream <id> to close and answers
// { closedNs }; /_stats answers { openSlow, openSockets, requests }.
//
// Bodies are pre-serialized and written in large chunks so the server is never the
// bottleneck; the slow streams share one timer per interval (spread ones have their own).
import { createServer } from 'node:http';

const TEXT_DELTA = 'lorem ';
const CHUNK = 64 * 1024;

function sse(event) {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function usage(input, output) {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

function response(id, status, output, usageValue) {
  return {
    id,
    object: 'response',
    created_at: 1_700_000_000,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    metadata: {},
    model: 'bench',
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: usageValue,
  };
}

/** The events of one streamed text message, as SSE text; `deltas` is an array of strings. */
function messageEvents(respId, deltas, { complete = true } = {}) {
  let seq = 0;
  const itemId = `msg_${respId}`;
  const parts = [];
  parts.push(sse({ type: 'response.created', sequence_number: seq++, response: response(respId, 'in_progress', [], null) }));
  parts.push(sse({ type: 'response.in_progress', sequence_number: seq++, response: response(respId, 'in_progress', [], null) }));
  parts.push(
    sse({
      type: 'response.output_item.added',
      sequence_number: seq++,
      output_index: 0,
      item: { id: itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    }),
  );
  parts.push(
    sse({
      type: 'response.content_part.added',
      sequence_number: seq++,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    }),
  );
  if (!complete) return { head: parts.join(''), seq, itemId };
  for (const delta of deltas) {
    parts.push(
      sse({ type: 'response.output_text.delta', sequence_number: seq++, item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [] }),
    );
  }
  const text = deltas.join('');
  const part = { type: 'output_text', text, annotations: [], logprobs: [] };
  const item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
  parts.push(sse({ type: 'response.output_text.done', sequence_number: seq++, item_id: itemId, output_index: 0, content_index: 0, text, logprobs: [] }));
  parts.push(sse({ type: 'response.content_part.done', sequence_number: seq++, item_id: itemId, output_index: 0, content_index: 0, part }));
  parts.push(sse({ type: 'response.output_item.done', sequence_number: seq++, output_index: 0, item }));
  parts.push(sse({ type: 'response.completed', sequence_number: seq++, response: response(respId, 'completed', [item], usage(10, deltas.length)) }));
  return { body: Buffer.from(parts.join('')) };
}

/** The events of one response holding a single function_call. */
function functionCallEvents(respId, callId, name, args) {
  let seq = 0;
  const itemId = `fc_${respId}`;
  const parts = [];
  parts.push(sse({ type: 'response.created', sequence_number: seq++, response: response(respId, 'in_progress', [], null) }));
  parts.push(sse({ type: 'response.in_progress', sequence_number: seq++, response: response(respId, 'in_progress', [], null) }));
  parts.push(
    sse({
      type: 'response.output_item.added',
      sequence_number: seq++,
      output_index: 0,
      item: { id: itemId, type: 'function_call', status: 'in_progress', call_id: callId, name, arguments: '' },
    }),
  );
  // Arguments arrive in a few pieces, like the real API.
  for (let i = 0; i < args.length; i += 4) {
    parts.push(
      sse({ type: 'response.function_call_arguments.delta', sequence_number: seq++, item_id: itemId, output_index: 0, delta: args.slice(i, i + 4) }),
    );
  }
  parts.push(sse({ type: 'response.function_call_arguments.done', sequence_number: seq++, item_id: itemId, output_index: 0, name, arguments: args }));
  const item = { id: itemId, type: 'function_call', status: 'completed', call_id: callId, name, arguments: args };
  parts.push(sse({ type: 'response.output_item.done', sequence_number: seq++, output_index: 0, item }));
  parts.push(sse({ type: 'response.completed', sequence_number: seq++, response: response(respId, 'completed', [item], usage(10, 5)) }));
  return Buffer.from(parts.join(''));
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': 'req_bench' };

function writeBody(res, body) {
  res.writeHead(200, { ...SSE_HEADERS, 'content-length': body.length });
  // Many events per write.
  for (let i = 0; i < body.length; i += CHUNK) res.write(body.subarray(i, i + CHUNK));
  res.end();
}

export function createBenchServer() {
  const textBodies = new Map(); // n -> Buffer
  const toolBodies = new Map(); // k -> Buffer
  const finalAnswer = messageEvents('resp_final', ['The ', 'loop ', 'is ', 'done', '.']).body;
  const okAnswer = messageEvents('resp_ok', ['ok']).body;
  const closes = new Map(); // id -> closedNs (bigint)
  const closeWaiters = new Map(); // id -> [resolve]
  const tickers = new Map(); // interval ms -> { timer, streams: Set }
  const sockets = new Set();
  let requests = 0;
  let openSlow = 0;
  let slowSeq = 0;

  const textBody = (n) => {
    let body = textBodies.get(n);
    if (!body) {
      body = messageEvents(`resp_text_${n}`, Array.from({ length: n }, () => TEXT_DELTA)).body;
      textBodies.set(n, body);
    }
    return body;
  };

  const toolBody = (k) => {
    let body = toolBodies.get(k);
    if (!body) {
      body = functionCallEvents(`resp_tool_${k}`, `call_${k}`, 'lookup', JSON.stringify({ key: `k${k}` }));
      toolBodies.set(k, body);
    }
    return body;
  };

  const recordClose = (id, ns) => {
    closes.set(id, ns);
    const waiters = closeWaiters.get(id);
    if (waiters) {
      closeWaiters.delete(id);
      for (const resolve of waiters) resolve(ns);
    }
  };

  const startSlow = (res, intervalMs, id, spread = false) => {
    const respId = `resp_slow_${++slowSeq}`;
    const { head, itemId } = messageEvents(respId, [], { complete: false });
    let seq = 4;
    const stream = {
      write() {
        res.write(
          `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":${seq++},"item_id":"${itemId}","output_index":0,"content_index":0,"delta":"${TEXT_DELTA}","logprobs":[]}\n\n`,
        );
      },
    };
    res.writeHead(200, SSE_HEADERS);
    res.write(head);
    stream.write();
    openSlow++;
    const own = spread ? setInterval(() => stream.write(), intervalMs) : undefined;
    let ticker = spread ? undefined : tickers.get(intervalMs);
    if (!spread && !ticker) {
      ticker = { streams: new Set(), timer: undefined };
      ticker.timer = setInterval(() => {
        for (const s of ticker.streams) s.write();
      }, intervalMs);
      tickers.set(intervalMs, ticker);
    }
    ticker?.streams.add(stream);
    res.once('close', () => {
      const ns = process.hrtime.bigint();
      openSlow--;
      clearInterval(own);
      if (ticker) {
        ticker.streams.delete(stream);
        if (ticker.streams.size === 0) {
          clearInterval(ticker.timer);
          tickers.delete(intervalMs);
        }
      }
      if (id !== '-') recordClose(id, ns);
    });
  };

  const handleModel = (req, res, mode, args, body) => {
    if (mode === 'text') return writeBody(res, textBody(Number(args[0])));
    if (mode === 'slow' || mode === 'spread') return startSlow(res, Number(args[0]), args[1], mode === 'spread');
    if (mode === 'hist') return writeBody(res, okAnswer);
    if (mode === 'tools' || mode === 'toolwait') {
      let request;
      try {
        request = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'bad JSON', type: 'invalid_request_error' } }));
      }
      const input = Array.isArray(request.input) ? request.input : [];
      let calls = 0;
      let outputs = 0;
      for (const item of input) {
        if (item?.type === 'function_call') calls++;
        else if (item?.type === 'function_call_output') outputs++;
      }
      if (calls !== outputs) {
        // The real API rejects a function_call without its output.
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: `No tool output found for function call (${calls} calls, ${outputs} outputs)`, type: 'invalid_request_error' } }));
      }
      if (mode === 'toolwait' || outputs < Number(args[0])) return writeBody(res, toolBody(outputs));
      return writeBody(res, finalAnswer);
    }
    res.writeHead(404);
    res.end();
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const url = req.url ?? '/';
    const segments = url.split('?')[0].split('/').filter(Boolean);
    if (req.method === 'GET' && segments[0] === '_stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ openSlow, openSockets: sockets.size, requests }));
    }
    if (req.method === 'GET' && segments[0] === '_closed') {
      const id = segments[1];
      const reply = (ns) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ closedNs: String(ns) }));
      };
      if (closes.has(id)) {
        const ns = closes.get(id);
        closes.delete(id);
        return reply(ns);
      }
      const waiters = closeWaiters.get(id) ?? [];
      waiters.push((ns) => {
        closes.delete(id);
        reply(ns);
      });
      closeWaiters.set(id, waiters);
      return;
    }
    // POST /<mode>/<args…>/v1/responses
    const v1 = segments.indexOf('v1');
    if (req.method !== 'POST' || v1 < 1 || segments[v1 + 1] !== 'responses') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url}` } }));
    }
    requests++;
    const [mode, ...args] = segments.slice(0, v1);
    const needsBody = mode === 'tools' || mode === 'toolwait';
    const chunks = [];
    req.on('data', (c) => needsBody && chunks.push(c));
    req.on('end', () => handleModel(req, res, mode, args, needsBody ? Buffer.concat(chunks).toString('utf8') : ''));
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return {
    listen() {
      return new Promise((resolve) => {
        server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve(`http://127.0.0.1:${server.address().port}`));
      });
    },
    stats: () => ({ openSlow, openSockets: sockets.size, requests }),
    close() {
      for (const { timer } of tickers.values()) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
