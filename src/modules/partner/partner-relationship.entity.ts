import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { PartnerStatus } from './partner.entity.js';

/**
 * One gmina's relationship with a partner (table partner_gmina): whether the partner is active there,
 * whom the centre deals with and its notes. Only staff and officials of that gmina read it, so a
 * centre's notes never reach another centre working with the same partner.
 */
@Entity({ tableName: 'partner_gmina' })
@ObjectType({ description: "A gmina's own relationship with a partner: its status there, the local contact and notes. Staff and officials of that gmina only" })
export class PartnerRelationship {
  @PrimaryKey({ type: 'uuid' })
  partnerId!: string;

  /** The gmina whose relationship this is (tenant column). */
  @PrimaryKey({ type: 'integer' })
  gminaId!: number;

  @Enum({ items: () => PartnerStatus, type: 'text' })
  @Field(() => PartnerStatus, { description: 'INACTIVE: retired by this gmina; other gminy decide for themselves' })
  status!: PartnerStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The person at the partner this centre deals with' })
  contactName: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  contactEmail: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  contactPhone: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: "The centre's own notes on working with the partner" })
  notes: string | null = null;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar, { description: 'The day the gmina started working with the partner' })
  joinedOn!: string;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'The day this gmina retired the partner; null while active' })
  retiredOn: string | null = null;
}
