import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

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
  @PrimaryKey({ type: 'uuid' }) residentId!: string;
  @Property({ type: 'integer' }) gminaId!: number;
  @FieldEnum(() => DisabilityLevel, { nullable: true }) disabilityLevel: DisabilityLevel | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) disabilityCertificateValidUntil: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) healthNotes: string | null = null;
  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
