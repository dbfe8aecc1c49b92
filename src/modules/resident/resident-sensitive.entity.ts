import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

/** Degree of disability on the certificate (orzeczenie o stopniu niepełnosprawności). */
export const DisabilityLevel = defineEnum('DisabilityLevel', {
  MILD: 'Stopień lekki',
  MODERATE: 'Stopień umiarkowany',
  SEVERE: 'Stopień znaczny',
});
export type DisabilityLevel = EnumValue<typeof DisabilityLevel>;

/**
 * Special-category data (GDPR art. 9) of a resident, in a table of its own that only coordinators
 * and the director read (RLS), so no other path can leak it with the record.
 */
@Entity({ tableName: 'resident_sensitive' })
@ObjectType({ description: 'Disability and health data of a resident: coordinators and the director only' })
export class ResidentSensitive {
  @PrimaryKey({ type: 'uuid' })
  residentId!: string;

  @Property({ type: 'integer' })
  gminaId!: number;

  @Enum({ items: () => DisabilityLevel, type: 'text', nullable: true })
  @Field(() => DisabilityLevel, { nullable: true })
  disabilityLevel: DisabilityLevel | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  disabilityCertificateValidUntil: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  healthNotes: string | null = null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
