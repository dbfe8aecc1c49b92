import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { randomBytes, randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TextArrayType } from '../common/text-array-type.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const SurveyStatus = defineEnum('SurveyStatus', {
  DRAFT: 'Being prepared; questions can change; the link answers nothing',
  PUBLISHED: 'The public link takes responses between opensOn and closesOn',
  CLOSED: 'Retired; takes no responses; its results are shown from now on',
});
export type SurveyStatus = EnumValue<typeof SurveyStatus>;

export const SurveyQuestionKind = defineEnum('SurveyQuestionKind', {
  SINGLE_CHOICE: 'Exactly one of the options',
  MULTIPLE_CHOICE: 'One or more of the options',
  SCALE: 'A whole number between scaleMin and scaleMax',
  FREE_TEXT: 'Text of up to 2000 characters',
});
export type SurveyQuestionKind = EnumValue<typeof SurveyQuestionKind>;

/** Single and multiple choice questions: answered by option indexes. */
export const isChoice = (kind: SurveyQuestionKind): boolean => kind === SurveyQuestionKind.SINGLE_CHOICE || kind === SurveyQuestionKind.MULTIPLE_CHOICE;

/** Where residents answer a survey, relative to the server's address; the token is the only key. */
export const PUBLIC_SURVEY_PATH = '/public/surveys';

/** 32 random bytes, base64url: the unguessable key of a survey's public link (43 characters). */
export function newSurveyToken(): string {
  return randomBytes(32).toString('base64url');
}

@Entity({ tableName: 'survey' })
@ObjectType({ implements: Node, description: 'An anonymous survey of residents, answered through a public link' })
export class Survey extends EditableTenantNode {
  /** The seat gmina of the unit running the survey (tenant column). */
  declare gminaId: number;

  /** The gminy the survey concerns (by default all the unit serves): their staff and officials read it and its results. */
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) gminaIds!: number[];
  @Property({ type: 'uuid' }) cusUnitId!: string;
  @Property({ type: 'uuid', nullable: true }) diagnosisId: string | null = null;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String) description: string | null = null;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'First day responses are taken (Polish calendar day)' }) opensOn!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'Last day responses are taken (Polish calendar day)' }) closesOn!: string;

  @FieldColumn({ type: 'text' }, () => String, { description: 'The unguessable key of the public link (43 characters, base64url)' })
  publicToken: string = newSurveyToken();

  @FieldEnum(() => SurveyStatus) status: SurveyStatus = SurveyStatus.DRAFT;
  @Field(() => DateTimeScalar) override createdAt!: Date;

  @Field(() => String, { description: `Path of the public link, relative to the server (${PUBLIC_SURVEY_PATH}/<token>)` })
  get publicUrl(): string {
    return `${PUBLIC_SURVEY_PATH}/${this.publicToken}`;
  }
}

@Entity({ tableName: 'survey_question' })
@ObjectType({ implements: Node, description: 'One question of a survey' })
export class SurveyQuestion extends Node {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) surveyId!: string;
  @FieldColumn({ type: 'integer' }, () => Int, { description: 'Order within the survey, from 1' }) position!: number;
  @FieldEnum(() => SurveyQuestionKind) kind!: SurveyQuestionKind;
  @FieldColumn({ type: 'text' }, () => String) text!: string;

  @FieldColumn({ type: TextArrayType, columnType: 'text[]' }, () => [String], {
    description: 'The options of a choice question, in order (answers name them by index from 0); empty otherwise',
  })
  options: string[] = [];

  @FieldColumn({ type: 'integer', nullable: true }, () => Int) scaleMin: number | null = null;
  @FieldColumn({ type: 'integer', nullable: true }, () => Int) scaleMax: number | null = null;
  @FieldColumn({ type: 'boolean' }, () => Boolean) required: boolean = true;
}
