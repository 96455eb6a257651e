import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are checked strictly: a wrong type is an error, not coerced, and an unknown field
 * is refused rather than silently dropped. Path and query strings are text on the wire, so
 * they alone are coerced ("limit=10" is the number 10).
 */
export function registerValidation(app: FastifyInstance): void {
  const make = (coerce: boolean) => {
    const ajv = new Ajv({
      allErrors: false,
      coerceTypes: coerce ? 'array' : false,
      removeAdditional: false,
      useDefaults: true,
      strict: false,
    });
    addFormats.default(ajv, ['date-time', 'email', 'uri']);
    return ajv;
  };
  const strict = make(false);
  const coercing = make(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema),
  );
}
