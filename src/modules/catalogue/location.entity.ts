import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar } from '../../platform/graphql/scalars.js';
import { Address } from '../common/address.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const LocationKind = defineEnum('LocationKind', {
  COMMUNITY_ROOM: 'Village community room (świetlica wiejska) or a neighbourhood club',
  CUS_OFFICE: "The centre's own premises",
  SCHOOL: null,
  CULTURE_CENTRE: null,
  LIBRARY: null,
  HEALTH_FACILITY: null,
  SPORTS_FACILITY: null,
  PARTNER_OFFICE: null,
  OTHER: null,
});
export type LocationKind = EnumValue<typeof LocationKind>;

@Entity({ tableName: 'location' })
@ObjectType({ implements: Node, description: 'A reusable place where services and community activities happen, such as a village community room' })
export class Location extends EditableTenantNode {
  /** The gmina the place is in (tenant column). */
  declare gminaId: number;

  @FieldColumn({ type: 'text' }, () => String) name!: string;
  @FieldEnum(() => LocationKind) kind!: LocationKind;
  @Property({ type: 'text' }) street!: string;
  @Property({ type: 'text' }) postalCode!: string;
  @Property({ type: 'text' }) city!: string;
  @Property({ type: 'decimal', precision: 9, scale: 6, nullable: true, fieldName: 'latitude' }) latitudeText: string | null = null;
  @Property({ type: 'decimal', precision: 9, scale: 6, nullable: true, fieldName: 'longitude' }) longitudeText: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Step-free access, induction loop and the like' })
  accessibility: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String) description: string | null = null;

  @FieldColumn({ type: 'datetime', nullable: true }, () => DateTimeScalar, {
    description: 'When the place was retired; retired places take no new services or activities',
  })
  retiredAt: Date | null = null;

  @Field(() => Int) override version!: number;

  @Field(() => Address)
  get address(): Address {
    return { street: this.street, postalCode: this.postalCode, city: this.city };
  }

  @Field(() => Float, { nullable: true })
  get latitude(): number | null {
    return this.latitudeText === null ? null : Number(this.latitudeText);
  }

  @Field(() => Float, { nullable: true })
  get longitude(): number | null {
    return this.longitudeText === null ? null : Number(this.longitudeText);
  }
}
