import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { AddressInput } from '../common/address.js';
import { VersionedInput } from '../common/versioned-input.js';
import { Location, LocationKind } from './location.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class LocationCreateInput {
  @Field(() => String) name!: string;
  @Field(() => LocationKind) kind!: LocationKind;
  @Field(() => AddressInput) address!: AddressInput;
  @Field(() => TerytCodeScalar, { nullable: true, description: 'The gmina the place is in; one of yours, default the first' }) gmina?: string;
  @Field(() => Float, { nullable: true, description: 'WGS 84, -90..90; give both coordinates or neither' }) latitude?: number;
  @Field(() => Float, { nullable: true, description: 'WGS 84, -180..180' }) longitude?: number;
  @Field(() => String, { nullable: true }) accessibility?: string;
  @Field(() => String, { nullable: true }) description?: string;
}

@InputType({ description: 'Only the fields given change; `version` must be the one last read' })
export class LocationUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => LocationKind, { nullable: true }) kind?: LocationKind;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput;
  @Field(() => Float, { nullable: true }) latitude?: number;
  @Field(() => Float, { nullable: true }) longitude?: number;
  @Field(() => String, { nullable: true }) accessibility?: string;
  @Field(() => String, { nullable: true }) description?: string;
}

@InputType()
export class LocationRetireInput extends VersionedInput {}

@ObjectType()
export class LocationPayload extends Payload(() => Location, 'location') {}

@InputType()
export class LocationFilter {
  @Field(() => TerytCodeScalar, { nullable: true }) gmina?: string;
  @Field(() => LocationKind, { nullable: true }) kind?: LocationKind;
  @Field(() => Boolean, { nullable: true, description: 'Also list retired places (default: no)' }) includeRetired?: boolean;
}
