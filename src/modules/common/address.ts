import { Field, InputType, ObjectType } from 'type-graphql';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { blank } from './result.js';

@ObjectType()
export class Address {
  @Field(() => String) street!: string;
  @Field(() => String, { description: 'Polish postal code, NN-NNN' }) postalCode!: string;
  @Field(() => String) city!: string;
}

@InputType()
export class AddressInput {
  @Field(() => String) street!: string;
  @Field(() => String, { description: 'NN-NNN' }) postalCode!: string;
  @Field(() => String) city!: string;
}

/** Street and city present, postal code in the Polish NN-NNN form. */
export function checkAddress(address: AddressInput, errors: UserErrors, at: string): void {
  if (blank(address.street)) errors.add(`${at}.street`, 'Street is required', UserErrorCode.REQUIRED);
  if (blank(address.city)) errors.add(`${at}.city`, 'City is required', UserErrorCode.REQUIRED);
  if (!/^\d{2}-\d{3}$/.test(address.postalCode)) errors.add(`${at}.postalCode`, 'Postal code must look like 05-462');
}
