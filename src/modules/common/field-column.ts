import type { PropertyOptions } from '@mikro-orm/core';
import { Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, type FieldOptions } from 'type-graphql';

type FieldType = NonNullable<Parameters<typeof Field>[0]>;

/**
 * A column that clients read as the GraphQL field of the same name: MikroORM's @Property and
 * type-graphql's @Field in one declaration, the field nullable exactly when the column is. A field
 * whose nullability differs from its column's keeps the two decorators, which shows the difference.
 */
export function FieldColumn(column: PropertyOptions<object>, type: FieldType, field: Omit<FieldOptions, 'nullable'> = {}) {
  return (target: object, property: string): void => {
    Field(type, column.nullable ? { ...field, nullable: true } : field)(target, property);
    Property(column)(target, property);
  };
}

/**
 * A text column holding one value of an enum (defineEnum), read by clients as the field of the same name
 * typed by that enum; `values` is a function, as in `@Enum`, so that an enum imported in a cycle is
 * read once it is defined.
 */
export function FieldEnum(values: () => object, options: { nullable?: boolean; description?: string } = {}) {
  const { nullable, description } = options;
  return (target: object, property: string): void => {
    Field(values, { ...(description !== undefined && { description }), ...(nullable && { nullable }) })(target, property);
    Enum({ items: values, type: 'text', ...(nullable && { nullable }) })(target, property);
  };
}
