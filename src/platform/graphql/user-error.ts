import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** Stable codes for a user's mistake inside a mutation; clients switch on these, not on messages. */
export enum UserErrorCode {
  REQUIRED = 'REQUIRED',
  INVALID = 'INVALID',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  NOT_FOUND = 'NOT_FOUND',
  DUPLICATE = 'DUPLICATE',
  /** Never sent since 2026-12: a stale write is CONFLICT. Kept so that clients generated against it still build. */
  STALE_VERSION = 'STALE_VERSION',
  /** Someone else changed the record since the version (or a plan's revision) the client sent; nothing was written. */
  CONFLICT = 'CONFLICT',
  NOT_ALLOWED = 'NOT_ALLOWED',
  /** A commission has no places, hours, sessions or budget left for what was asked. */
  CAPACITY_EXCEEDED = 'CAPACITY_EXCEEDED',
  /** A session overlaps another of the same item, or (delivered) another of the same person. */
  OVERLAPPING = 'OVERLAPPING',
  /** Something said to have happened (a session delivered or missed) starts later than now. */
  IN_FUTURE = 'IN_FUTURE',
  /** A person's delivered minutes on one day would pass the configured daily maximum. */
  DAILY_LIMIT_EXCEEDED = 'DAILY_LIMIT_EXCEEDED',
  /** The commission was not ACTIVE on the day the input names. */
  COMMISSION_NOT_ACTIVE = 'COMMISSION_NOT_ACTIVE',
  /** A step the act requires first is not recorded: an ended consultation, a diagnosis's stages, a needs assessment. */
  PREREQUISITE_MISSING = 'PREREQUISITE_MISSING',
}
registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation refused the input',
  valuesConfig: {
    STALE_VERSION: { deprecationReason: 'A stale write is CONFLICT, whether it sent a version or a revision' },
    CONFLICT: { description: 'Someone else changed it since the version or revision sent; read it again' },
  },
});

@ObjectType({ description: 'A mistake in the input of a mutation; nothing was changed' })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field, e.g. ["input", "servedGminy", "1"]' }) field!: string[];
  @Field(() => String) message!: string;
  @Field(() => UserErrorCode) code!: UserErrorCode;

  @Field(() => ID, {
    nullable: true,
    description: 'With DUPLICATE, when it may be told: the id of what already holds the value (the resident with this PESEL, the statutory unit of this gmina)',
  })
  existingId: string | null;

  constructor(field: string[], message: string, code: UserErrorCode, existingId: string | null = null) {
    this.field = field;
    this.message = message;
    this.code = code;
    this.existingId = existingId;
  }
}

/** Collects user errors while a service validates input, so all of them are reported at once. */
export class UserErrors {
  readonly list: UserError[] = [];
  add(field: string | string[], message: string, code: UserErrorCode = UserErrorCode.INVALID, existingId: string | null = null): void {
    const path = Array.isArray(field) ? field : field.split('.');
    this.list.push(new UserError(['input', ...path], message, code, existingId));
  }
  get any(): boolean {
    return this.list.length > 0;
  }
}
