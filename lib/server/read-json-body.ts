import type { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * Reads a JSON request body of at most `limit` bytes and validates it with `schema`.
 * Refuses (as an {@link HttpError}) a body that is not `application/json` (which also
 * keeps cross-site form posts out), too large, not JSON, or not of the schema's shape.
 */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, limit: number): Promise<T> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'The body must be JSON, sent with Content-Type: application/json.');
  }
  const text = await readText(request, limit);
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_request', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'bad_request', describeIssues(parsed.error));
  return parsed.data;
}

async function readText(request: Request, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`);
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) {
    // The HTTP layer delivers exactly Content-Length bytes, so the size is known: read them in
    // one go, which adapters such as @hono/node-server serve without a web stream (a cancel is
    // handled a millisecond sooner).
    if (Number(declared) > limit) throw tooLarge();
    return utf8(new Uint8Array(await request.arrayBuffer()));
  }
  // A chunked body: read it as it comes, refusing it as soon as it is too large.
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return utf8(bytes);
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'bad_request', 'The body is not valid UTF-8.');
  }
}

/** Every issue with where it is: `input[0].role: Invalid option…`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
