import type { FetchLike } from './verifier.js';

export interface ReportCompletedOptions {
  /** The waiting room's address, e.g. `https://queue.example.com` (a path prefix is kept). */
  baseUrl: string | URL;
  /** The operator's token (the waiting room's ADMIN_TOKEN): keep it on the shop's server, never in a browser. */
  operatorKey: string;
  roomId: string;
  /** The admitted ticket: `admission.ticketId`. */
  ticketId: string;
  /** How long the call may take. Default 5 seconds. */
  timeoutMs?: number;
  /** The `fetch` to call with; the global one by default. */
  fetch?: FetchLike;
}

/** The waiting room did not take the report (or could not be reached: `status` undefined). */
export class CompletionReportError extends Error {
  readonly status: number | undefined;
  /** The waiting room's error code (e.g. NOT_FOUND, FORBIDDEN), `HTTP_<status>`, or `NETWORK`. */
  readonly code: string;

  constructor(status: number | undefined, code: string, message: string) {
    super(message);
    this.name = 'CompletionReportError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Tells the waiting room that an admitted shopper is done (a shop whose checkout is not the
 * waiting room's own orders): `POST <baseUrl>/api/admin/rooms/<roomId>/tickets/<ticketId>/complete`
 * with the operator's bearer token and no body. The place the admission held is freed for the
 * next in line. Resolves on a 2xx answer, rejects with a `CompletionReportError` otherwise.
 */
export async function reportCompleted(options: ReportCompletedOptions): Promise<void> {
  const { operatorKey, roomId, ticketId } = options;
  if (!operatorKey) throw new TypeError('operatorKey is required');
  if (!roomId || !ticketId) throw new TypeError('roomId and ticketId are required');
  const base = String(options.baseUrl).replace(/\/+$/, '');
  const url = `${base}/api/admin/rooms/${encodeURIComponent(roomId)}/tickets/${encodeURIComponent(ticketId)}/complete`;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}`, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch {
    throw new CompletionReportError(undefined, 'NETWORK', 'The waiting room could not be reached');
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const refusal = await errorOf(response);
  throw new CompletionReportError(
    response.status,
    refusal?.code ?? `HTTP_${response.status}`,
    `The waiting room refused the completion (${response.status}${refusal ? ` ${refusal.code}: ${refusal.message}` : ''})`,
  );
}

/** The waiting room's `{ error: { code, message } }`, when the answer is one. */
async function errorOf(response: Response): Promise<{ code: string; message: string } | undefined> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } } | null;
    const code = body?.error?.code;
    const message = body?.error?.message;
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  } catch {
    // Not JSON: the status says enough.
  }
  return undefined;
}
