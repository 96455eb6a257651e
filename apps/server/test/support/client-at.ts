/**
 * An HTTP client that connects from a chosen loopback address (127.0.0.2, 127.0.0.3, …), so
 * that one test process can play several shoppers whose addresses a proxy sees as different.
 * Linux routes all of 127.0.0.0/8 to the loopback interface.
 */
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import { Readable } from 'node:stream';
import type { ApiResponse, RequestOptions } from '../helper.js';
import { EventReader } from './event-reader.js';

const TIMEOUT_MS = 15_000;

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

export class ClientAt {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    /** The address this client's connections come from. */
    readonly localAddress: string,
  ) {
    this.base = new URL(baseUrl);
  }

  private open(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ res: IncomingMessage; abort: () => void }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method,
          headers,
          localAddress: this.localAddress,
          agent: false,
          timeout: TIMEOUT_MS,
        },
        (res) => resolve({ res, abort: () => req.destroy() }),
      );
      req.once('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${TIMEOUT_MS} ms`)));
      req.once('error', reject);
      req.end(body);
    });
  }

  /** One request; the body parsed as JSON when it says it is JSON. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const { res } = await this.open(method, path, options);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = toHeaders(res.headers);
    const body = text !== '' && /json/.test(headers.get('content-type') ?? '') ? JSON.parse(text) : text;
    return { status: res.statusCode ?? 0, headers, body: body as T, text };
  }

  /** A ticket's event stream, read by the same reader as the other tests'. */
  async events(roomId: string, queueToken: string): Promise<EventReader> {
    const { res, abort } = await this.open('GET', `/api/rooms/${roomId}/tickets/me/events`, {
      token: queueToken,
      headers: { accept: 'text/event-stream' },
    });
    const controller = new AbortController();
    controller.signal.addEventListener('abort', abort);
    const response = new Response(Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>, {
      status: res.statusCode ?? 0,
      headers: toHeaders(res.headers),
    });
    return new EventReader(response, controller);
  }
}
