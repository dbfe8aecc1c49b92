import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { AddressInput } from '../common/address.js';
import { DisabilityLevel } from './resident-sensitive.entity.js';
import { Resident, Sex } from './resident.entity.js';
import { Payload } from '../common/payload.js';

@InputType({ description: 'How to reach a resident; on update only the fields given change, null clears one' })
export class ResidentContactInput {
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
}

@InputType({ description: 'Disability and health data (GDPR art. 9); the whole part is replaced, null leaves a field empty' })
export class ResidentSensitiveInput {
  @Field(() => DisabilityLevel, { nullable: true }) disabilityLevel?: DisabilityLevel | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Until when the disability certificate is valid; empty when it is permanent' })
  disabilityCertificateValidUntil?: string | null;
  @Field(() => String, { nullable: true }) healthNotes?: string | null;
}

const PESEL_NOTE = 'When given, birthDate and sex (if given) must agree with it; birthDate is taken from it when not given';

/** The fields a resident is created with and updated by alike: all optional in both. */
@InputType()
abstract class ResidentOptionalFields {
  @Field(() => String, { nullable: true, description: `PESEL, 11 digits. ${PESEL_NOTE}` }) pesel?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) birthDate?: string | null;
  @Field(() => Sex, { nullable: true }) sex?: Sex | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => ResidentContactInput, { nullable: true }) contact?: ResidentContactInput | null;
  @Field(() => String, { nullable: true }) householdNotes?: string | null;
}

@InputType()
export class ResidentCreateInput extends ResidentOptionalFields {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'The gmina the resident lives in, within your scope; defaults to your first gmina' })
  gmina?: string | null;
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => ResidentSensitiveInput, { nullable: true, description: 'Disability and health data, if any' }) sensitive?: ResidentSensitiveInput | null;
}

@InputType({ description: 'Only the fields given change (null clears an optional one); `version` must be the one last read' })
export class ResidentUpdateInput extends ResidentOptionalFields {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
}

@InputType({ description: "Sets a resident's disability and health data, replacing what was held" })
export class ResidentSensitiveSetInput extends ResidentSensitiveInput {
  @Field(() => ID) residentId!: string;
}

@InputType({ description: 'Two records of one person: `mergeId` becomes part of `keepId` (director only; for good)' })
export class ResidentMergeInput {
  @Field(() => ID, { description: 'The record that stays' }) keepId!: string;
  @Field(() => ID, { description: "The record merged into it: its history becomes the survivor's, and its id leads to the survivor" }) mergeId!: string;
  @Field(() => String, { description: 'Why the two records are one person (kept with the merge)' }) reason!: string;
}

@ObjectType()
export class ResidentPayload extends Payload(() => Resident, 'resident') {
  @Field(() => [String], {
    description:
      'Noted but not refused: on residentCreate, and on residentUpdate changing names, birth date, PESEL or sex, that the record may duplicate one the centre holds',
  })
  warnings!: string[];
  @Field(() => [Resident], {
    description:
      'On residentCreate, and on residentUpdate changing names, birth date, PESEL or sex: records of the centre with the same birth date and a similar name that no PESEL tells apart (each read is logged)',
  })
  possibleDuplicates!: Resident[];
}
