import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { AddressInput } from '../common/address.js';
import { VersionedInput } from '../common/versioned-input.js';
import { Partner, PartnerKind, PartnerStatus } from './partner.entity.js';
import { Payload } from '../common/payload.js';

@InputType({ description: 'Contact details; on update only the fields given change, null clears one' })
export class ContactInput {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true, description: 'https:// is assumed when no scheme is given' }) website?: string | null;
}

const IDENTIFIER_NOTE = 'spaces and dashes are allowed and dropped';

@InputType()
export class PartnerCreateInput {
  @Field(() => String) name!: string;
  @Field(() => PartnerKind) kind!: PartnerKind;
  @Field(() => String, { nullable: true, description: `KRS, 10 digits; ${IDENTIFIER_NOTE}` }) krs?: string | null;
  @Field(() => String, { nullable: true, description: `NIP, 10 digits with a check digit; ${IDENTIFIER_NOTE}` }) nip?: string | null;
  @Field(() => String, { nullable: true, description: `REGON, 9 or 14 digits with a check digit; ${IDENTIFIER_NOTE}` }) regon?: string | null;
  @Field(() => ContactInput, { nullable: true }) contact?: ContactInput | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [TerytCodeScalar], { nullable: true, description: 'Gminy the partner works in, all within your scope; defaults to your gminy' })
  gminy?: string[] | null;
}

@InputType({ description: "Your gminy's own relationship with a partner; only the fields given change, null clears one" })
export class PartnerRelationshipInput {
  @Field(() => String, { nullable: true, description: 'The person at the partner your centre deals with' }) contactName?: string | null;
  @Field(() => String, { nullable: true }) contactEmail?: string | null;
  @Field(() => String, { nullable: true }) contactPhone?: string | null;
  @Field(() => String, { nullable: true, description: "Your centre's notes; other centres do not see them" }) notes?: string | null;
}

@InputType({
  description:
    'Only the fields given change (null clears an optional one); `version` must be the one last read. The shared identity (name, kind, ' +
    'identifiers, contact, address, description) is changed by the centre that registered the partner until the partner claims its profile, ' +
    "and by the platform administrator; others get NOT_ALLOWED. `gminy` and `relationship` are your own centre's.",
})
export class PartnerUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => PartnerKind, { nullable: true }) kind?: PartnerKind | null;
  @Field(() => String, { nullable: true }) krs?: string | null;
  @Field(() => String, { nullable: true }) nip?: string | null;
  @Field(() => String, { nullable: true }) regon?: string | null;
  @Field(() => ContactInput, { nullable: true }) contact?: ContactInput | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [TerytCodeScalar], {
    nullable: true,
    description: "The partner's gminy within your scope (at least one); gminy outside your scope stay as they are",
  })
  gminy?: string[] | null;
  @Field(() => PartnerRelationshipInput, { nullable: true, description: "Your gminy's relationship: local contact and notes" })
  relationship?: PartnerRelationshipInput | null;
}

@InputType({ description: 'What a partner edits in its own profile; kind, status, gminy and identifiers are kept by the CUS' })
export class PartnerProfileUpdateInput {
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ContactInput, { nullable: true }) contact?: ContactInput | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType()
export class PartnerStatusChangeInput extends VersionedInput {}

@InputType()
export class PartnerFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Partners working in this gmina' }) gmina?: string | null;
  @Field(() => PartnerKind, { nullable: true }) kind?: PartnerKind | null;
  @Field(() => PartnerStatus, { nullable: true, description: "The status in your gminy's relationships; default: every status" }) status?: PartnerStatus | null;
  @Field(() => String, { nullable: true, description: 'Part of the name, case-insensitive' }) nameContains?: string | null;
}

@InputType({ description: 'Join a partner another centre registered, by its NIP, adding gminy of your scope' })
export class PartnerJoinInput {
  @Field(() => String, { description: 'NIP, 10 digits with a check digit (dashes allowed)' }) nip!: string;
  @Field(() => [TerytCodeScalar], { nullable: true, description: 'Gminy where it will work for you; defaults to your gminy' }) gminy?: string[] | null;
}

@ObjectType()
export class PartnerPayload extends Payload(() => Partner, 'partner') {}
