import type { ControlStore, OperatorScope } from '@waitroom/orders';
import { type AdminCredential, isAdminToken } from './admin-token.js';

/** Who is calling the operator API, and what they may do. */
export interface Operator {
  /** As the audit log names them: `admin` (ADMIN_TOKEN) or `key:<id>:<name>` (an operator key). */
  actor: string;
  scope: OperatorScope;
}

/** The methods a `read` key may use: they change nothing. */
const READ_METHODS = new Set(['GET', 'HEAD']);

export function changes(method: string): boolean {
  return !READ_METHODS.has(method);
}

/**
 * The operator a bearer token names, or null. ADMIN_TOKEN is compared in constant time and
 * needs no database; an operator key is looked up by its SHA-256 on every call, with no cache,
 * so that a revoked key is refused on its next call by every instance.
 */
export async function identifyOperator(
  parts: { admin: AdminCredential; control: Pick<ControlStore, 'findOperatorKey'>; clock: () => number },
  token: string,
): Promise<Operator | null> {
  if (isAdminToken(parts.admin, token)) return { actor: 'admin', scope: 'write' };
  const key = await parts.control.findOperatorKey(token, parts.clock());
  return key ? { actor: `key:${key.id}:${key.name}`, scope: key.scope } : null;
}

/** Whether the operator may make this request: a `read` key only reads. */
export function mayUse(operator: Operator, method: string): boolean {
  return operator.scope === 'write' || !changes(method);
}
