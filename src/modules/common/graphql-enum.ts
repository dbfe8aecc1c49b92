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

/** The type of an enumeration declared by defineEnum: the union of its values. */
export type EnumValue<E> = E[keyof E];

type EnumObject<K extends string> = { readonly [V in K]: V };
type EnumValues<K extends string> = readonly K[] | { readonly [V in K]: string | null };

/**
 * Declares an enumeration once: its values (a list, or an object from each value to its GraphQL
 * description, null for none) and its GraphQL type `name` with an optional description. Returns the object of values
 * (`Weekday.MO === 'MO'`) that code, MikroORM's `@Enum` and type-graphql's fields use, like a string
 * enum's; declare its type beside it as `type X = EnumValue<typeof X>`.
 */
export function defineEnum<const K extends string>(name: string, description: string | undefined, values: EnumValues<K>): EnumObject<K>;
export function defineEnum<const K extends string>(name: string, values: EnumValues<K>): EnumObject<K>;
export function defineEnum<const K extends string>(
  name: string,
  descriptionOrValues: string | undefined | EnumValues<K>,
  maybeValues?: EnumValues<K>,
): EnumObject<K> {
  const description = typeof descriptionOrValues === 'string' ? descriptionOrValues : undefined;
  const values = typeof descriptionOrValues === 'object' ? descriptionOrValues : maybeValues;
  if (values === undefined) throw new Error(`enum ${name} declares no values`);
  const keys: readonly K[] = isList(values) ? values : (Object.keys(values) as K[]);
  const enumObject = Object.fromEntries(keys.map((key) => [key, key])) as EnumObject<K>;
  const descriptions: { [V in K]?: string } = {};
  if (!isList(values)) for (const key of keys) descriptions[key] = values[key] ?? undefined;
  registerEnum(enumObject, name, description, descriptions);
  return Object.freeze(enumObject);
}

function isList<K extends string>(values: EnumValues<K>): values is readonly K[] {
  return Array.isArray(values);
}
