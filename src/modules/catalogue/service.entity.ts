import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { FeeKind, ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const ServiceStatus = defineEnum('ServiceStatus', 'Changed only by serviceActivate, serviceSuspend and serviceClose', {
  PLANNED: 'In the catalogue, not yet given',
  ACTIVE: 'Given now',
  SUSPENDED: 'Paused for a while; may be activated again',
  CLOSED: 'No longer given; final',
});
export type ServiceStatus = EnumValue<typeof ServiceStatus>;

export const ProviderKind = defineEnum('ProviderKind', {
  CUS: 'The centre itself',
  PARTNER: 'A partner organisation',
  GMINA_UNIT: 'Another unit of the gmina (or powiat), named in unitName',
});
export type ProviderKind = EnumValue<typeof ProviderKind>;

@ObjectType({ description: 'What the service costs the resident' })
export class FeeRule {
  @Field(() => FeeKind) kind!: FeeKind;
  @Field(() => MoneyScalar, { nullable: true, description: 'PLN per unit (FIXED only)' }) amount!: string | null;
  @Field(() => String, { nullable: true, description: 'What the amount is for, e.g. "godzina", "kurs"' }) unit!: string | null;
  @Field(() => String, { nullable: true, description: 'How the fee is set (required for INCOME_DEPENDENT)' }) description!: string | null;
}

@ObjectType({ description: 'How many residents the service can take' })
export class ServiceCapacity {
  @Field(() => Int, { nullable: true, description: 'Residents served at once; null: no fixed limit' }) recipients!: number | null;
  @Field(() => String, { nullable: true }) note!: string | null;
}

/** Who gives the service. `partner` and `cusUnit` are resolved through the request's loaders (ServiceProviderResolver). */
@ObjectType({ description: 'Who gives the service: the centre itself, a partner, or another gmina unit' })
export class ServiceProvider {
  @Field(() => ProviderKind) kind!: ProviderKind;
  @Field(() => String, { nullable: true, description: 'Name of the gmina unit (GMINA_UNIT only)' }) unitName!: string | null;
  partnerId!: string | null;
  cusUnitId!: string | null;
}

@Entity({ tableName: 'service' })
@ObjectType({ implements: Node, description: 'A social service in the catalogue of a CUS' })
export class Service extends EditableTenantNode {
  /** The seat gmina of the CUS that keeps the entry (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;

  /** Where residents can use the service; a subset of the unit's served gminy. */
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) gminaIds!: number[];
  @FieldColumn({ type: 'text' }, () => String) name!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String) description: string | null = null;
  @FieldEnum(() => ServiceArea) area!: ServiceArea;
  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [TargetGroup]) targetGroups!: TargetGroup[];
  @Enum({ items: () => ProviderKind, type: 'text' }) providerKind!: ProviderKind;
  @Property({ type: 'uuid', nullable: true }) providerPartnerId: string | null = null;
  @Property({ type: 'text', nullable: true }) providerUnitName: string | null = null;
  @FieldColumn({ type: 'boolean' }, () => Boolean, { description: 'Given online (by phone or video), with or without places' }) online: boolean = false;
  @FieldColumn({ type: 'text', nullable: true }, () => String) onlineUrl: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who may use the service' }) eligibility: string | null = null;
  @Enum({ items: () => FeeKind, type: 'text' }) feeKind: FeeKind = FeeKind.FREE;
  @Property({ type: 'decimal', precision: 12, scale: 2, nullable: true }) feeAmount: string | null = null;
  @Property({ type: 'text', nullable: true }) feeUnit: string | null = null;
  @Property({ type: 'text', nullable: true }) feeDescription: string | null = null;
  @Property({ type: 'integer', nullable: true }) capacityRecipients: number | null = null;
  @Property({ type: 'text', nullable: true }) capacityNote: string | null = null;
  @FieldEnum(() => ServiceStatus) status: ServiceStatus = ServiceStatus.PLANNED;
  @Field(() => DateTimeScalar) override createdAt!: Date;
  @Field(() => DateTimeScalar) override updatedAt!: Date;

  @Field(() => ServiceProvider)
  get provider(): ServiceProvider {
    return {
      kind: this.providerKind,
      unitName: this.providerUnitName,
      partnerId: this.providerPartnerId,
      cusUnitId: this.providerKind === ProviderKind.CUS ? this.cusUnitId : null,
    };
  }

  @Field(() => FeeRule)
  get fee(): FeeRule {
    return { kind: this.feeKind, amount: this.feeAmount, unit: this.feeUnit, description: this.feeDescription };
  }

  @Field(() => ServiceCapacity, { nullable: true, description: 'Null when the service has no capacity limits' })
  get capacity(): ServiceCapacity | null {
    if (this.capacityRecipients === null && this.capacityNote === null) return null;
    return { recipients: this.capacityRecipients, note: this.capacityNote };
  }
}
