import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { mediaTypeOf, SCAN_TYPES } from './scan-content.js';

export const ScanFileType = defineEnum(
  'ScanFileType',
  'What a signed scan is',
  Object.fromEntries(SCAN_TYPES.map((t) => [t.type, `A ${t.type} file (${t.mediaType})`])) as Record<(typeof SCAN_TYPES)[number]['type'], string>,
);
export type ScanFileType = EnumValue<typeof ScanFileType>;

/**
 * The signed scan of a plan's agreement: the IPUS document the resident signed (ipus(id) as a PDF),
 * scanned, kept with the plan as the record of the agreement ipusActivate recorded. One per plan, never changed.
 */
@Entity({ tableName: 'ipus_agreement_scan' })
@ObjectType({ implements: Node, description: "The signed scan of a plan's agreement (the IPUS document the resident signed)" })
export class IpusAgreementScan extends TenantNode {
  declare gminaId: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'The name of the file as uploaded' }) fileName!: string;
  @FieldEnum(() => ScanFileType, { description: 'What the file is, as its first bytes say' }) fileType!: ScanFileType;
  @FieldColumn({ type: 'integer' }, () => Int, { description: 'Its size in bytes' }) sizeBytes!: number;
  @Property({ type: 'blob', lazy: true }) content!: Buffer;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Who attached it (user id)' }) uploadedBy!: string;
  @Field(() => DateTimeScalar, { description: 'When it was attached' }) override createdAt!: Date;

  @Field(() => String, { description: 'Its Content-Type: application/pdf, image/jpeg or image/png' })
  get mediaType(): string {
    return mediaTypeOf(this.fileType);
  }
}
