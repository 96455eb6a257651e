import type { Customer } from '../../../shared/api/types';
import { TextField } from '../../../shared/ui/text-field';
import { CUSTOMER_FIELDS, type CustomerErrors, type CustomerField, FIELD_LABELS } from '../customer-rules';

const INPUTS: Record<CustomerField, { type: string; autoComplete: string; inputMode?: 'email' | 'tel' }> = {
  firstName: { type: 'text', autoComplete: 'given-name' },
  lastName: { type: 'text', autoComplete: 'family-name' },
  email: { type: 'email', autoComplete: 'email', inputMode: 'email' },
  phone: { type: 'tel', autoComplete: 'tel', inputMode: 'tel' },
};

const HINTS: Partial<Record<CustomerField, string>> = {
  phone: 'Digits, with + and the country code if abroad',
};

export interface CustomerFieldsProps {
  value: Customer;
  /** The errors to show now (those of fields touched, or all after a try to submit). */
  errors: CustomerErrors;
  onChange(field: CustomerField, value: string): void;
  onBlur(field: CustomerField): void;
  disabled?: boolean;
}

/** Name, e-mail and phone, each with its own error beside it. */
export function CustomerFields({ value, errors, onChange, onBlur, disabled = false }: CustomerFieldsProps) {
  return (
    <div className="customer-fields">
      {CUSTOMER_FIELDS.map((field) => (
        <TextField
          key={field}
          name={field}
          label={FIELD_LABELS[field]}
          hint={HINTS[field]}
          error={errors[field] ?? null}
          value={value[field]}
          onChange={(event) => onChange(field, event.currentTarget.value)}
          onBlur={() => onBlur(field)}
          required
          disabled={disabled}
          maxLength={field === 'email' ? 254 : field === 'phone' ? 24 : 100}
          {...INPUTS[field]}
        />
      ))}
    </div>
  );
}
