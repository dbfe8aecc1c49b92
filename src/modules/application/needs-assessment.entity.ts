import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ServiceArea } from '../common/domain.enums.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const AssessmentPlace = defineEnum('AssessmentPlace', 'Where the needs-assessment conversation took place', {
  CUS_OFFICE: 'At the centre',
  RESIDENT_HOME: 'Where the resident lives',
  OTHER: 'Elsewhere, described in placeNote',
});
export type AssessmentPlace = EnumValue<typeof AssessmentPlace>;

/**
 * A needs assessment: the coordinator's conversation with the applicant, recording needs by area
 * (DOMAIN.md, "From application to plan"). Part of the resident's record: reads are logged.
 */
@Entity({ tableName: 'needs_assessment' })
@ObjectType({ implements: Node, description: "A coordinator's conversation with the applicant and the needs found; part of the resident's record" })
export class NeedsAssessment extends EditableTenantNode {
  /** The application's gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) applicationId!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) conversationOn!: string;
  @FieldEnum(() => AssessmentPlace) place!: AssessmentPlace;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Where exactly (required for OTHER)' }) placeNote: string | null = null;

  /** The user id of who recorded the assessment; kept for accountability, not shown. */
  @Property({ type: 'text' }) coordinatorSubject!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'The coordinator who held the conversation' }) coordinatorName!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String) notes: string | null = null;
}

/** One need found by an assessment. Not a Node: it exists only as part of its assessment and is replaced with it. */
@Entity({ tableName: 'needs_assessment_need' })
@ObjectType({ description: 'A need found in the assessment, in one area of social services' })
export class AssessedNeed {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) assessmentId!: string;
  @FieldEnum(() => ServiceArea) area!: ServiceArea;
  @FieldColumn({ type: 'text' }, () => String) description!: string;
}
