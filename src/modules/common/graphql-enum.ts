import { registerEnumType } from 'type-graphql';

type ValueDescriptions<E> = { [V in keyof E]?: string };

/**
 * Registers a TypeScript enum as a GraphQL enum named `name`, with a description of the type and of
 * any of its values: one call instead of type-graphql's nested `valuesConfig` objects.
 */
export function registerEnum<E extends Record<string, string>>(enumObject: E, name: string, values: ValueDescriptions<E>): void;
export function registerEnum<E extends Record<string, string>>(enumObject: E, name: string, description?: string, values?: ValueDescriptions<E>): void;
export function registerEnum<E extends Record<string, string>>(
  enumObject: E,
  name: string,
  descriptionOrValues?: string | ValueDescriptions<E>,
  values: ValueDescriptions<E> = {},
): void {
  const description = typeof descriptionOrValues === 'string' ? descriptionOrValues : undefined;
  const valueDescriptions = typeof descriptionOrValues === 'object' ? descriptionOrValues : values;
  const valuesConfig: { [V in keyof E]?: { description: string } } = {};
  for (const value of Object.keys(valueDescriptions) as (keyof E)[]) {
    const valueDescription = valueDescriptions[value];
    if (valueDescription !== undefined) valuesConfig[value] = { description: valueDescription };
  }
  registerEnumType(enumObject, { name, description, valuesConfig });
}
