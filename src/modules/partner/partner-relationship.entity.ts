import { Entity, PrimaryKey } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { PartnerStatus } from './partner.entity.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/**
 * One gmina's relationship with a partner (table partner_gmina): whether the partner is active there,
 * whom the centre deals with and its notes. Only staff and officials of that gmina read it, so a
 * centre's notes never reach another centre working with the same partner.
 */
@Entity({ tableName: 'partner_gmina' })
@ObjectType({ description: "A gmina's own relationship with a partner: its status there, the local contact and notes. Staff and officials of that gmina only" })
export class PartnerRelationship {
  @PrimaryKey({ type: 'uuid' }) partnerId!: string;

  /** The gmina whose relationship this is (tenant column). */
  @PrimaryKey({ type: 'integer' }) gminaId!: number;
  @FieldEnum(() => PartnerStatus, { description: 'INACTIVE: retired by this gmina; other gminy decide for themselves' }) status!: PartnerStatus;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'The person at the partner this centre deals with' })
  contactName: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String) contactEmail: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) contactPhone: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: "The centre's own notes on working with the partner" })
  notes: string | null = null;

  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'The day the gmina started working with the partner' }) joinedOn!: string;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'The day this gmina retired the partner; null while active' })
  retiredOn: string | null = null;
}
