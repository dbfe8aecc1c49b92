import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { Address } from '../common/address.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/** Kinds of partner organisation (DOMAIN.md, "Partners and the partner council"). */
export const PartnerKind = defineEnum('PartnerKind', {
  NGO: 'Foundation or association (organizacja pozarządowa)',
  SOCIAL_ECONOMY: 'Social-economy entity: social cooperative, CIS, KIS and similar',
  PUBLIC_INSTITUTION: 'School, culture centre, library, health-care provider, PCPR and similar',
  CHURCH_BODY: 'Church or religious body (e.g. a parish Caritas)',
  BUSINESS: 'Business',
  INFORMAL_GROUP: 'Informal group (e.g. Koło Gospodyń Wiejskich without legal personality, neighbours)',
});
export type PartnerKind = EnumValue<typeof PartnerKind>;

export const PartnerStatus = defineEnum('PartnerStatus', 'INACTIVE: retired (by a gmina, for its own relationship), kept for history', ['ACTIVE', 'INACTIVE']);
export type PartnerStatus = EnumValue<typeof PartnerStatus>;

@ObjectType({ description: 'Contact details of an organisation' })
export class Contact {
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) website!: string | null;
}

@Entity({ tableName: 'partner' })
@ObjectType({ implements: Node, description: 'A partner of a CUS: NGO, social-economy entity, public institution, church body, business or informal group' })
export class Partner extends EditableTenantNode {
  /** The gmina that registered the partner (tenant column); always among gminaIds. Its managers keep the identity until the partner claims it. */
  declare gminaId: number;

  /** Every gmina that has a relationship with the partner, active or retired (kept by the database from partner_gmina). */
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) gminaIds!: number[];
  @FieldColumn({ type: 'text' }, () => String) name!: string;
  @FieldEnum(() => PartnerKind) kind!: PartnerKind;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Number in the National Court Register (KRS), 10 digits' })
  krs: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Tax identification number (NIP), 10 digits' }) nip: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Statistical number (REGON), 9 or 14 digits' }) regon: string | null = null;
  @Property({ type: 'text', nullable: true }) email: string | null = null;
  @Property({ type: 'text', nullable: true }) phone: string | null = null;
  @Property({ type: 'text', nullable: true }) website: string | null = null;
  @Property({ type: 'text', nullable: true }) street: string | null = null;
  @Property({ type: 'text', nullable: true }) postalCode: string | null = null;
  @Property({ type: 'text', nullable: true }) city: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) description: string | null = null;

  /**
   * ACTIVE while any gmina's relationship is active (kept by the database from partner_gmina). The
   * GraphQL field `status` is the reader's own relationship's (PartnerResolver.status).
   */
  @Enum({ items: () => PartnerStatus, type: 'text' }) status: PartnerStatus = PartnerStatus.ACTIVE;

  /** When the partner claimed its profile (its first own edit, or the platform administrator said so); null: unclaimed. */
  @Property({ type: 'datetime', nullable: true }) claimedAt: Date | null = null;

  @Field(() => Contact)
  get contact(): Contact {
    return { email: this.email, phone: this.phone, website: this.website };
  }

  @Field(() => Address, { nullable: true })
  get address(): Address | null {
    return this.street && this.postalCode && this.city ? { street: this.street, postalCode: this.postalCode, city: this.city } : null;
  }
}
