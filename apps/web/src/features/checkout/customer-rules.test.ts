import { describe, expect, it } from 'vitest';
import { checkCustomer, checkField, cleanCustomer, fieldOfServerMessage } from './customer-rules';

describe("the customer's details, checked as typed", () => {
  it('accepts a real e-mail address and a phone in digits with an optional +', () => {
    expect(
      checkCustomer({
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.org',
        phone: '+44 7700 900123',
      }),
    ).toEqual({});
  });

  it('names each field that is empty or malformed', () => {
    expect(Object.keys(checkCustomer({ firstName: ' ', lastName: '', email: 'ada@', phone: '12' }))).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
    ]);
    expect(checkField('phone', '+12a4567')).toMatch(/digits/);
  });

  it('sends the phone as digits only', () => {
    expect(
      cleanCustomer({ firstName: ' Ada ', lastName: 'L', email: 'a@b.co', phone: '(0)20 7946-0958' }).phone,
    ).toBe('02079460958');
  });

  it('finds the field a server refusal names, and leaves other refusals alone', () => {
    expect(fieldOfServerMessage('body/customer/email must match format "email"')).toEqual({
      field: 'email',
      message: 'The shop refused this e-mail: must match format "email".',
    });
    expect(fieldOfServerMessage('body/items/0/productId names no product on sale in this room')).toBeNull();
  });
});
