import { ArrayType, BigIntType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ServiceArea } from '../common/domain.enums.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';
import { appealDeadline, appealInstruction } from './application-decision.js';

export const ApplicationChannel = defineEnum('ApplicationChannel', 'How the application reached the centre', {
  IN_PERSON: 'At the centre',
  POST: 'By post',
  EMAIL: 'By e-mail',
  EPUAP: 'Through ePUAP, the public-administration e-services platform',
  PHONE: 'By phone, written down by staff',
});
export type ApplicationChannel = EnumValue<typeof ApplicationChannel>;

export const FiledBy = defineEnum('FiledBy', 'Who filed the application', {
  PERSON: 'The resident themself',
  LEGAL_REPRESENTATIVE: 'A legal representative (przedstawiciel ustawowy)',
  DE_FACTO_CARER: 'A de facto carer (opiekun faktyczny)',
});
export type FiledBy = EnumValue<typeof FiledBy>;

export const ApplicationStatus = defineEnum('ApplicationStatus', 'Changed only by applicationQualify, applicationRefuse and applicationForward, once', {
  FILED: 'Filed, not yet decided',
  QUALIFIED: 'Qualified for services (no administrative decision is issued)',
  REFUSED: 'Refused by an administrative decision',
  FORWARDED: 'Forwarded, with consent, to the social-assistance team or another gmina unit',
});
export type ApplicationStatus = EnumValue<typeof ApplicationStatus>;

@ObjectType({ description: 'The outcome of an application; which fields are set depends on the status' })
export class ApplicationDecision {
  @Field(() => LocalDateScalar, { description: 'The day the application was decided' }) decidedOn!: string;
  @Field(() => String, { nullable: true, description: "Who recorded the outcome (the user's id)" }) decidedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'Number of the administrative decision (REFUSED only)' }) number!: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Date of the administrative decision (REFUSED only)' }) date!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the application was refused (REFUSED only)' }) refusalReason!: string | null;
  @Field(() => String, { nullable: true, description: 'The statutory provisions the refusal rests on (REFUSED only)' }) legalBasis!: string | null;
  @Field(() => String, { nullable: true, description: 'The factual reasoning: the facts found and the evidence (REFUSED only)' }) factualReasoning!:
    string | null;
  @Field(() => String, { nullable: true, description: 'The legal reasoning: the provisions applied and why (REFUSED only)' }) legalReasoning!: string | null;
  @Field(() => String, { nullable: true, description: 'The local government appeals board (SKO) an appeal goes to (REFUSED only)' }) appealBody!: string | null;
  @Field(() => String, { nullable: true, description: 'The instruction on appeal printed in the decision, derived from appealBody (REFUSED only)' })
  appealInstruction!: string | null;
  @Field(() => String, { nullable: true, description: 'Who signed the decision, by name (REFUSED only)' }) signatoryName!: string | null;
  @Field(() => String, { nullable: true, description: "The signatory's position, e.g. Dyrektor CUS (REFUSED only)" }) signatoryPosition!: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'The day the decision was delivered to the applicant (applicationDecisionDelivered)' })
  deliveredOn!: string | null;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The last day for an appeal: 14 days from delivery (KPA art. 129), moved past a weekend or public holiday (art. 57); null until delivered',
  })
  appealDeadline!: string | null;
  @Field(() => String, { nullable: true, description: 'The team or gmina unit it was forwarded to (FORWARDED only)' }) forwardedTo!: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'The day the applicant consented to forwarding (FORWARDED only)' }) consentOn!: string | null;
  @Field(() => String, { nullable: true, description: 'How the consent was given (FORWARDED only)' }) consentHow!: string | null;
}

/**
 * A resident's application (wniosek) to a CUS (DOMAIN.md, "From application to plan"). It belongs
 * to the resident's gmina; reading it is reading the resident's record, so every read is logged.
 * Applications are served in the order filed: filed date, then filing number.
 */
@Entity({ tableName: 'application' })
@ObjectType({ implements: Node, description: "A resident's application for social services; part of the resident's record (reads are logged)" })
export class Application extends EditableTenantNode {
  /** The resident's gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;
  @Property({ type: 'uuid' }) residentId!: string;

  /** Assigned by the database (an identity column): the order of filing, which breaks ties within a day. */
  @FieldColumn({ type: new BigIntType('number'), generated: 'as identity' }, () => Int, {
    description: 'Order of filing: among applications filed the same day, a lower number was filed first',
  })
  filingNumber!: number;

  @FieldColumn({ type: 'date' }, () => LocalDateScalar) filedOn!: string;
  @FieldEnum(() => ApplicationChannel) channel!: ApplicationChannel;
  @FieldEnum(() => FiledBy) filedBy!: FiledBy;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Name of the representative or carer who filed it' })
  filerName: string | null = null;

  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [ServiceArea]) requestedAreas: ServiceArea[] = [];
  @Property({ type: ArrayType, columnType: 'uuid[]' }) requestedServiceIds: string[] = [];
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: "The request in the applicant's words" }) requestText: string | null = null;
  @FieldEnum(() => ApplicationStatus) status: ApplicationStatus = ApplicationStatus.FILED;
  @Property({ type: 'date', nullable: true }) decidedOn: string | null = null;
  @Property({ type: 'text', nullable: true }) decidedBy: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionNumber: string | null = null;
  @Property({ type: 'date', nullable: true }) decisionDate: string | null = null;
  @Property({ type: 'text', nullable: true }) refusalReason: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionLegalBasis: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionFactualReasoning: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionLegalReasoning: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionAppealBody: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionSignatoryName: string | null = null;
  @Property({ type: 'text', nullable: true }) decisionSignatoryPosition: string | null = null;
  @Property({ type: 'date', nullable: true }) decisionDeliveredOn: string | null = null;
  @Property({ type: 'text', nullable: true }) forwardedTo: string | null = null;
  @Property({ type: 'date', nullable: true }) consentOn: string | null = null;
  @Property({ type: 'text', nullable: true }) consentHow: string | null = null;
  @Field(() => Int, { description: 'Increases with every change; send it back to update or decide (optimistic locking)' }) override version!: number;

  @Field(() => ApplicationDecision, { nullable: true, description: 'Null while the application is FILED' })
  get decision(): ApplicationDecision | null {
    if (this.status === ApplicationStatus.FILED || this.decidedOn === null) return null;
    return {
      decidedOn: this.decidedOn,
      decidedBy: this.decidedBy,
      number: this.decisionNumber,
      date: this.decisionDate,
      refusalReason: this.refusalReason,
      legalBasis: this.decisionLegalBasis,
      factualReasoning: this.decisionFactualReasoning,
      legalReasoning: this.decisionLegalReasoning,
      appealBody: this.decisionAppealBody,
      appealInstruction: this.decisionAppealBody ? appealInstruction(this.decisionAppealBody) : null,
      signatoryName: this.decisionSignatoryName,
      signatoryPosition: this.decisionSignatoryPosition,
      deliveredOn: this.decisionDeliveredOn,
      appealDeadline: this.decisionDeliveredOn ? appealDeadline(this.decisionDeliveredOn) : null,
      forwardedTo: this.forwardedTo,
      consentOn: this.consentOn,
      consentHow: this.consentHow,
    };
  }
}
