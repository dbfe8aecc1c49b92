import type { UserErrors } from '../../platform/graphql/user-error.js';
import { checkAddress, type AddressInput } from './address.js';
import { textOrNull } from './result.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]{6,20}$/;

/** An email as typed: trimmed, null when blank; a malformed one is refused at `at`. */
export function checkEmail(typed: string | null | undefined, errors: UserErrors, at: string | string[]): string | null {
  const email = textOrNull(typed);
  if (email !== null && !EMAIL.test(email)) errors.add(at, 'Email address is not valid');
  return email;
}

/** A phone number as typed: trimmed, null when blank; one with other characters is refused at `at`. */
export function checkPhone(typed: string | null | undefined, errors: UserErrors, at: string | string[]): string | null {
  const phone = textOrNull(typed);
  if (phone !== null && !PHONE.test(phone)) errors.add(at, 'Phone number may hold only digits, spaces, dashes, brackets and a leading +');
  return phone;
}

/** A website as typed on a letterhead ("www.caritas.pl") made into an http(s) URL, or null when it is not one. */
function websiteUrl(typed: string): string | null {
  const withScheme = /^[a-z][a-z\d+.-]*:/i.test(typed) ? typed : `https://${typed}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.')) return null;
    // URL adds a slash after a bare host; keep the address as people write it.
    return url.pathname === '/' && !url.search && !url.hash ? url.origin : url.href;
  } catch {
    return null;
  }
}

/** A website as typed, as an http(s) URL; null when blank; one that is no such address is refused at `at`. */
export function checkWebsite(typed: string | null | undefined, errors: UserErrors, at: string | string[]): string | null {
  const text = textOrNull(typed);
  const website = text === null ? null : websiteUrl(text);
  if (text !== null && website === null) errors.add(at, 'Website must be an http(s) address such as https://example.pl');
  return website;
}

export interface AddressColumns {
  street: string | null;
  postalCode: string | null;
  city: string | null;
}

/**
 * The address columns an input's `address` sets: none when it is absent, all cleared when it is null,
 * otherwise checked (refused under `address`) and trimmed.
 */
export function addressChange(address: AddressInput | null | undefined, errors: UserErrors): Partial<AddressColumns> {
  if (address === undefined) return {};
  if (address === null) return { street: null, postalCode: null, city: null };
  checkAddress(address, errors, 'address');
  return { street: address.street.trim(), postalCode: address.postalCode, city: address.city.trim() };
}
