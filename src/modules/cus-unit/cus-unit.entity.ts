import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { Address } from '../common/address.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';
import { DEFAULT_MONITORING_INTERVAL_DAYS } from '../worklist/worklist.rules.js';

/** How the centre came to be (art. 4-5 of the act of 19 July 2019). */
export const CusCreationMode = defineEnum('CusCreationMode', {
  OPS_TRANSFORMED: "The gmina's OPS (ośrodek pomocy społecznej) transformed into a CUS",
  INTERMUNICIPAL_AGREEMENT: 'A new unit serving two or more gminy under a porozumienie międzygminne',
  ADDITIONAL_LARGE_CITY: 'An additional unit beside the OPS in a city over 100,000 residents',
});
export type CusCreationMode = EnumValue<typeof CusCreationMode>;

@ObjectType({ description: 'A legal act identified by number and date (council resolution, agreement)' })
export class LegalAct {
  @Field(() => String) number!: string;
  @Field(() => LocalDateScalar) date!: string;
}

@ObjectType({ description: "A gmina's share of an inter-municipal unit's joint budget" })
export class GminaShare {
  @Field(() => TerytCodeScalar) gmina!: string;
  @Field(() => Float, { description: 'Percent' }) share!: number;
}

@Entity({ tableName: 'cus_unit' })
@ObjectType({ implements: Node, description: 'A Centrum Usług Społecznych: a budget unit serving one or more gminy' })
export class CusUnit extends EditableTenantNode {
  /** The seat gmina, whose council created the unit. */
  declare gminaId: number;

  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) servedGminaIds!: number[];
  @FieldColumn({ type: 'text' }, () => String) name!: string;
  @Property({ type: 'text' }) seatStreet!: string;
  @Property({ type: 'text' }) seatPostalCode!: string;
  @Property({ type: 'text' }) seatCity!: string;
  @FieldEnum(() => CusCreationMode) creationMode!: CusCreationMode;
  @Property({ type: 'text', nullable: true }) resolutionNumber: string | null = null;
  @Property({ type: 'date', nullable: true }) resolutionDate: string | null = null;
  @Property({ type: 'text', nullable: true }) agreementNumber: string | null = null;
  @Property({ type: 'date', nullable: true }) agreementDate: string | null = null;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'The day the centre started work' }) startDate!: string;

  @FieldColumn({ type: 'boolean' }, () => Boolean, { description: 'A CUS under the act; some local units carry the name without being one' })
  statutory: boolean = true;

  @FieldColumn({ type: 'integer' }, () => Int, {
    description: "Days after the last monitoring note (or the plan's activation) when an active plan is due for a new one (the worklist's MONITORING_DUE)",
  })
  monitoringIntervalDays: number = DEFAULT_MONITORING_INTERVAL_DAYS;

  /** Percent of the joint budget per served gmina id, as the agreement records it; null: equal shares. */
  @Property({ type: 'json', nullable: true, fieldName: 'gmina_shares' }) shares: Record<string, number> | null = null;

  @Field(() => [GminaShare], {
    description:
      "Each served gmina's share of the joint budget (an inter-municipal unit's commissions count in the reports by these shares; equal unless the agreement records others)",
  })
  get gminaShares(): GminaShare[] {
    const equal = 100 / this.servedGminaIds.length;
    return this.servedGminaIds.map((id) => ({ gmina: idToTerc(id), share: this.shares?.[String(id)] ?? equal }));
  }

  @Field(() => Address)
  get seatAddress(): Address {
    return { street: this.seatStreet, postalCode: this.seatPostalCode, city: this.seatCity };
  }

  @Field(() => LegalAct, { nullable: true, description: 'The gmina council resolution that set the centre up' })
  get foundingResolution(): LegalAct | null {
    return this.resolutionNumber && this.resolutionDate ? { number: this.resolutionNumber, date: this.resolutionDate } : null;
  }

  @Field(() => LegalAct, { nullable: true, description: 'The inter-municipal agreement (porozumienie), if any' })
  get agreement(): LegalAct | null {
    return this.agreementNumber && this.agreementDate ? { number: this.agreementNumber, date: this.agreementDate } : null;
  }
}
