import { GraphQLError, type ASTVisitor, type FieldNode, type ValidationContext } from 'graphql';
import { ErrorCode } from './errors.js';

/**
 * Whether a field reads the schema itself: `__schema` or `__type` (valid only on the query root).
 * `__typename` is not one: it names an object's type and always works.
 */
export const isIntrospectionField = (field: FieldNode): boolean => field.name.value === '__schema' || field.name.value === '__type';

/**
 * INTROSPECTION=false: `__schema` and `__type` are refused, with a code of their own, on both paths
 * (Apollo's own switch would cover HTTP only, and say "pass introspection: true to ApolloServer").
 */
export function introspectionOffRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (isIntrospectionField(node)) {
        context.reportError(
          new GraphQLError(`Introspection is switched off on this server: ${node.name.value} cannot be read`, {
            nodes: node,
            extensions: { code: ErrorCode.INTROSPECTION_DISABLED },
          }),
        );
      }
    },
  };
}
