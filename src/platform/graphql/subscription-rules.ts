import {
  GraphQLError,
  Kind,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** Whether a selection at the root of an operation (through inline fragments and fragments) uses @skip or @include. */
function conditionalRoot(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  for (const selection of set.selections) {
    if (selection.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include')) return true;
    if (selection.kind === Kind.INLINE_FRAGMENT && conditionalRoot(selection.selectionSet, fragments, seen)) return true;
    if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment && conditionalRoot(fragment.selectionSet, fragments, seen)) return true;
    }
  }
  return false;
}

/**
 * graphql-js 16's SingleFieldSubscriptionsRule evaluates @skip/@include on a subscription's root
 * fields without variables (validation has none) and throws instead of reporting when one uses a
 * variable or a wrong value, which closed the WebSocket with 4500. Which single field a subscription
 * follows must not depend on variables: the spec draft (graphql-spec#860) and graphql-js 17 refuse
 * @skip/@include there, and so does this rule, before graphql-js's own runs on what is left.
 */
export const SafeSingleFieldSubscriptionsRule: ValidationRule = (context) => {
  const inner = SingleFieldSubscriptionsRule(context) as { OperationDefinition?: (node: OperationDefinitionNode) => void };
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription') {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of context.getDocument().definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        }
        if (conditionalRoot(node.selectionSet, fragments, new Set())) {
          const name = node.name ? `Subscription "${node.name.value}"` : 'Anonymous Subscription';
          context.reportError(new GraphQLError(`${name} must not use @skip or @include on its root fields`, { nodes: node }));
          return;
        }
      }
      inner.OperationDefinition?.(node);
    },
  };
};

/** graphql-js's rules with the subscription rule that cannot throw (the WebSocket side validates with these). */
export const subscriptionSafeRules: readonly ValidationRule[] = specifiedRules.map((rule) =>
  rule === SingleFieldSubscriptionsRule ? SafeSingleFieldSubscriptionsRule : rule,
);
