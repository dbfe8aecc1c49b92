import { ArrayType, type Platform, type TransformContext } from '@mikro-orm/core';

/**
 * A text[] column holding free text (meeting topics). MikroORM's ArrayType writes elements unquoted
 * unless they contain a comma, brace or quote, so a topic "NULL" would come back as NULL and
 * escapes such as a newline are mangled; this type quotes and escapes every element.
 */
export class TextArrayType extends ArrayType<string> {
  override convertToDatabaseValue(value: string[] | null, platform: Platform, context?: TransformContext): string | null {
    if (!Array.isArray(value)) return super.convertToDatabaseValue(value, platform, context);
    return `{${value.map((text) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  }
}
