import { InvalidRequestError } from '@waitroom/core';

/** Opaque to the caller: base64url of `audit:<id of the last record shown>`. */
export function encodeAuditCursor(id: number): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

/** A cursor this store did not make is the caller's mistake: INVALID_REQUEST, never a 5xx. */
export function decodeAuditCursor(text: string): number {
  const match = /^audit:([1-9][0-9]{0,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  const id = Number(match?.[1]);
  if (match && Number.isSafeInteger(id)) return id;
  throw new InvalidRequestError('cursor is not one a page of the audit log gave');
}
