import OpenAI from 'openai';

/** An OpenAI client, or a function that makes one (called once, on first use). */
export type OpenAIClientSource = OpenAI | (() => OpenAI);

/** Where a model's server is, for the `server.address` / `server.port` trace attributes. */
export interface ServerLocation {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

const defaultBaseURL = 'https://api.openai.com/v1';

/**
 * The client a model uses, created on first use: a model built without a client
 * does not need `OPENAI_API_KEY` until it actually streams.
 * @internal
 */
export class LazyClient {
  private client: OpenAI | undefined;

  constructor(private readonly source: OpenAIClientSource | undefined) {
    if (source !== undefined && typeof source !== 'function') this.client = source;
  }

  /** The client, created now if need be (`new OpenAI()` reads the environment and may throw). */
  get(): OpenAI {
    this.client ??= typeof this.source === 'function' ? this.source() : new OpenAI();
    return this.client;
  }

  /** The server the client talks to; the default base URL when the client cannot be made yet. */
  location(): ServerLocation {
    let baseURL: string;
    try {
      baseURL = this.get().baseURL;
    } catch {
      baseURL = environmentBaseURL() ?? defaultBaseURL;
    }
    // Parsed once per base URL: this is read for every traced model call.
    if (this.parsed?.baseURL !== baseURL) this.parsed = { baseURL, location: parseLocation(baseURL) };
    return this.parsed.location;
  }

  private parsed: { readonly baseURL: string; readonly location: ServerLocation } | undefined;
}

/** Host and port of a base URL; the port defaults by scheme (443 for https, 80 for http). */
export function parseLocation(baseURL: string): ServerLocation {
  try {
    const url = new URL(baseURL);
    const address = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    return { address, port };
  } catch {
    return { address: undefined, port: undefined };
  }
}

function environmentBaseURL(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.['OPENAI_BASE_URL']?.trim() || undefined;
}
