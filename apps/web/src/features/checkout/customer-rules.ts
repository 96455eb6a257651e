import type { Customer } from '../../shared/api/types';

export type CustomerField = keyof Customer;
export type CustomerErrors = Partial<Record<CustomerField, string>>;

export const CUSTOMER_FIELDS: readonly CustomerField[] = ['firstName', 'lastName', 'email', 'phone'];

export const FIELD_LABELS: Record<CustomerField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
};

// The server's checks (apps/server/src/schemas/orders.ts, ajv-formats' "email"), repeated
// here so that a mistake shows as it is typed; the server checks again.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const PHONE = /^\+?[0-9]{6,15}$/;

/** The phone as the server wants it: spaces, dots, dashes and brackets people type are dropped. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}

/** What is wrong with one field, or null. */
export function checkField(field: CustomerField, value: string): string | null {
  const v = value.trim();
  switch (field) {
    case 'firstName':
    case 'lastName':
      if (v === '') return `Enter your ${field === 'firstName' ? 'first' : 'last'} name.`;
      return v.length > 100 ? 'At most 100 characters.' : null;
    case 'email':
      if (v === '') return 'Enter your e-mail address.';
      return EMAIL.test(v) && v.length <= 254 ? null : 'Enter an e-mail address like name@example.com.';
    case 'phone': {
      if (v === '') return 'Enter your phone number.';
      return PHONE.test(normalisePhone(v))
        ? null
        : 'Enter 6 to 15 digits, with + in front for an international number.';
    }
  }
}

export function checkCustomer(customer: Customer): CustomerErrors {
  const errors: CustomerErrors = {};
  for (const field of CUSTOMER_FIELDS) {
    const problem = checkField(field, customer[field]);
    if (problem) errors[field] = problem;
  }
  return errors;
}

/** The customer as sent: trimmed, the phone in digits. */
export function cleanCustomer(customer: Customer): Customer {
  return {
    firstName: customer.firstName.trim(),
    lastName: customer.lastName.trim(),
    email: customer.email.trim(),
    phone: normalisePhone(customer.phone.trim()),
  };
}

/**
 * The field a server refusal names ("body/customer/email must match format …"), with the
 * message in words fit to show beside it; null for a refusal about something else.
 */
export function fieldOfServerMessage(message: string): { field: CustomerField; message: string } | null {
  const match = /^body\/customer\/(firstName|lastName|email|phone)\b\s*(.*)$/.exec(message);
  if (!match) return null;
  const field = match[1] as CustomerField;
  const rest = (match[2] ?? '').replace(/^:\s*/, '');
  return {
    field,
    message: `The shop refused this ${FIELD_LABELS[field].toLowerCase()}: ${rest || 'it is not valid'}.`,
  };
}
