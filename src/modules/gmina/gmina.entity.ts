import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/** Rodzaj gminy, as the last digit of its TERC code says: 1 miejska, 2 wiejska, 3 miejsko-wiejska. */
export const GminaKind = defineEnum('GminaKind', {
  URBAN: 'gmina miejska (TERC kind 1)',
  RURAL: 'gmina wiejska (TERC kind 2)',
  URBAN_RURAL: 'gmina miejsko-wiejska (TERC kind 3)',
});
export type GminaKind = EnumValue<typeof GminaKind>;

@ObjectType({ description: 'A unit of the TERYT register above the gmina (powiat or województwo)' })
export class TerytUnit {
  @Field(() => String, { description: 'TERC code: 2 digits for a województwo, 4 for a powiat' }) code!: string;
  @Field(() => String) name!: string;
}

@Entity({ tableName: 'gmina' })
@ObjectType({ implements: Node, description: 'A gmina (municipality): the tenant of the platform' })
export class Gmina extends Node {
  /** The TERC code read as a number; `terc` gives it back with its leading zero. */
  @PrimaryKey({ type: 'integer', autoincrement: false }) id!: number;
  @FieldColumn({ type: 'text' }, () => String) name!: string;
  @FieldEnum(() => GminaKind) kind!: GminaKind;
  @FieldColumn({ type: 'boolean' }, () => Boolean, { description: 'The capital city (miasto stołeczne Warszawa)' }) capital!: boolean;
  @Property({ type: 'text', columnType: 'char(4)' }) powiatCode!: string;
  @Property({ type: 'text' }) powiatName!: string;
  @Property({ type: 'text', columnType: 'char(2)' }) wojewodztwoCode!: string;
  @Property({ type: 'text' }) wojewodztwoName!: string;

  @Field(() => TerytCodeScalar, { description: 'The 7-digit TERC code' })
  get terc(): string {
    return idToTerc(this.id);
  }

  @Field(() => TerytUnit)
  get powiat(): TerytUnit {
    return { code: this.powiatCode, name: this.powiatName };
  }

  @Field(() => TerytUnit)
  get wojewodztwo(): TerytUnit {
    return { code: this.wojewodztwoCode, name: this.wojewodztwoName };
  }
}
