import { ERROR_STATUS } from '@waitroom/core';
import { type Static, type TSchema, Type } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ enum: Object.keys(ERROR_STATUS) }),
      message: Type.String(),
    }),
  },
  { title: 'Error', description: 'Every refusal: a stable code and a message safe to show.' },
);

/** The error responses a route may give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const s of statuses) out[s] = ErrorBody;
  return out;
}

export const RoomIdParams = Type.Object({
  roomId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
});

/**
 * A value or null, written as `type: [T, "null"]` rather than `anyOf`: the response
 * serializer writes it directly instead of trying each branch, which matters on the hot
 * status path; OpenAPI shows it as `nullable`.
 */
export const Nullable = <T extends TSchema & { type: string }>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
