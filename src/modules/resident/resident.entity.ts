import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Address } from '../common/address.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const Sex = defineEnum('Sex', 'Sex as recorded (PESEL encodes it in its 10th digit)', ['FEMALE', 'MALE']);
export type Sex = EnumValue<typeof Sex>;

@ObjectType({ description: 'How to reach a resident' })
export class ResidentContact {
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
}

/**
 * A resident of a gmina whose record a CUS keeps (DOMAIN.md, "Personal data"). Readable only by
 * the centre's staff who work with individuals (RLS); every read is logged (access-log.ts).
 */
@Entity({ tableName: 'resident' })
@ObjectType({ implements: Node, description: 'A resident whose record the CUS keeps (personal data: every read is logged)' })
export class Resident extends EditableTenantNode {
  /** The gmina the resident lives in (tenant column). */
  declare gminaId: number;

  @FieldColumn({ type: 'text' }, () => String) firstName!: string;
  @FieldColumn({ type: 'text' }, () => String) lastName!: string;

  @FieldColumn({ type: 'text', nullable: true }, () => String, {
    description: 'PESEL, 11 digits, validated; one live record per PESEL in a centre (all the gminy its units serve)',
  })
  pesel: string | null = null;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) birthDate: string | null = null;
  @FieldEnum(() => Sex, { nullable: true }) sex: Sex | null = null;
  @Property({ type: 'text', nullable: true }) street: string | null = null;
  @Property({ type: 'text', nullable: true }) postalCode: string | null = null;
  @Property({ type: 'text', nullable: true }) city: string | null = null;
  @Property({ type: 'text', nullable: true }) phone: string | null = null;
  @Property({ type: 'text', nullable: true }) email: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) householdNotes: string | null = null;

  /**
   * The record this one was merged into (resident-merge.ts): a merged record is history, and its id
   * resolves to that one. Null for a live record.
   */
  @Property({ type: 'uuid', nullable: true }) mergedInto: string | null = null;

  /** Records merged into this one (kept by the database from their mergedInto); their applications, plans and log are this person's. */
  @Property({ type: ArrayType, columnType: 'uuid[]' }) mergedIds: string[] = [];
  @Property({ type: 'datetime', nullable: true }) mergedAt: Date | null = null;
  @Property({ type: 'text', nullable: true }) mergedBy: string | null = null;
  @Property({ type: 'text', nullable: true }) mergeReason: string | null = null;

  @Field(() => Address, { nullable: true })
  get address(): Address | null {
    return this.street && this.postalCode && this.city ? { street: this.street, postalCode: this.postalCode, city: this.city } : null;
  }

  @Field(() => ResidentContact)
  get contact(): ResidentContact {
    return { phone: this.phone, email: this.email };
  }

  /** This record's id and those of the records merged into it: every row of this person's history carries one of them. */
  get recordIds(): string[] {
    return [this.id, ...this.mergedIds];
  }
}
