const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,4096})[ ]*$/i;

/**
 * The token of an `Authorization: Bearer <token>` header value, or undefined when the header
 * is missing, repeated or not of that form.
 */
export function bearerToken(headerValue: string | readonly string[] | null | undefined): string | undefined {
  if (typeof headerValue !== 'string') return undefined;
  return BEARER.exec(headerValue)?.[1];
}
