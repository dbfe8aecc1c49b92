import { getNamedType, isLeafType, TypeInfo, visit, visitWithTypeInfo, BREAK, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * True when a subscription selects only leaf fields of its event (ids, revision, changes...):
 * those come from the event itself, so delivering it needs no database work. Selecting an object
 * (the plan itself, say) means each delivery reads it under the subscriber's rights.
 */
export function selectsOnlyEventFields(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let depth = 0;
  let onlyLeaves = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // A named fragment is visited apart from where it is spread, so depth says nothing there: assume the worst.
      FragmentSpread() {
        onlyLeaves = false;
        return BREAK;
      },
      Field: {
        enter() {
          depth += 1;
          const type = typeInfo.getType();
          // Depth 1 is the subscription field itself, whose type is the event.
          if (depth > 1 && type && !isLeafType(getNamedType(type))) {
            onlyLeaves = false;
            return BREAK;
          }
          return undefined;
        },
        leave() {
          depth -= 1;
        },
      },
    }),
  );
  return onlyLeaves;
}
