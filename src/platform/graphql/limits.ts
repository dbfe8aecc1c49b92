import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.js';
import { ErrorCode } from './errors.js';
import { isIntrospectionField } from './introspection.js';

/**
 * Limits on the shape of an operation, checked before anything runs (issue 8, "Limits against
 * abuse"): how deep it nests, how many aliases it uses, how much it may cost, and how many tokens
 * its text has. Each refusal has its own code, the limit and what the operation asked for.
 *
 * Introspection (`__schema`, `__type`) counts toward neither depth nor cost: every tool reads the
 * schema with graphql-js's introspection query, 15 levels deep, whatever limits the server sets for
 * its own data. It is answered from the schema in memory, and graphql-js's MaxIntrospectionDepthRule
 * (among the rules both paths validate with) keeps one reading to about the size of the schema: no
 * type's `fields` inside another's inside another's. What could still multiply it is an alias, so
 * none is allowed inside introspection or on `__schema` (several `__type` may be aliased, each
 * reading one type). What an operation selects besides introspection is measured as ever.
 *
 * Tokens are counted by graphql-js's parser (its maxTokens), which stops there. Depth, aliases and
 * cost are ours, measured in one walk: tests/armor-review.test.ts plays these cases against
 * graphql-armor's plugins, whose cost limit takes a page size from a variable for 1 and lets
 * `__schema` through at no cost however often it is aliased, and whose depth limit counts `__type`
 * though not `__schema` (their depth and alias counts agree with ours on ordinary operations).
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** Estimated fields resolved: each field counts 1, times the page sizes of the lists above it. */
  maxCost: number;
  maxTokens: number;
}

function limitError(code: ErrorCode, message: string, limit: number, actual: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, actual } });
}

/** How many items a list field may return: its `first` when written out, the largest page when it comes from a variable. */
function pageOf(field: FieldNode): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return field.arguments?.some((a) => a.name.value === 'after') ? DEFAULT_PAGE_SIZE : 1;
  if (first.value.kind === Kind.INT) return Math.min(Number(first.value.value), MAX_PAGE_SIZE);
  return MAX_PAGE_SIZE;
}

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
  /** Aliases on `__schema` and inside introspection, which are refused. */
  introspectionAliases: number;
}

const NOTHING: Measure = { depth: 0, cost: 0, aliases: 0, introspectionAliases: 0 };

/**
 * Depth, cost and aliases of a selection set, following fragments (a fragment cycle counts as nothing:
 * another rule refuses it). A fragment measures the same wherever it is spread, so each is measured
 * once (`measured`): fragments that each spread the next twice would otherwise take 2^n steps, and a
 * document of a few hundred tokens held the event loop for minutes (found by fuzzing).
 */
function measure(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>, measured: Map<string, Measure>): Measure {
  const total: Measure = { ...NOTHING };
  for (const selection of set.selections) {
    let inner: Measure;
    if (selection.kind === Kind.FIELD && isIntrospectionField(selection)) {
      // Only its aliases matter (see OperationLimits): an alias on the field itself counts as any other,
      // and is refused besides on `__schema`.
      const child = selection.selectionSet ? measure(selection.selectionSet, fragments, seen, measured) : NOTHING;
      const alias = selection.alias ? 1 : 0;
      inner = { ...NOTHING, aliases: alias, introspectionAliases: child.aliases + (selection.name.value === '__schema' ? alias : 0) };
    } else if (selection.kind === Kind.FIELD) {
      const child = selection.selectionSet ? measure(selection.selectionSet, fragments, seen, measured) : NOTHING;
      // A connection multiplies what is selected inside it by its page size.
      inner = {
        depth: child.depth + 1,
        cost: 1 + pageOf(selection) * child.cost,
        aliases: child.aliases + (selection.alias ? 1 : 0),
        introspectionAliases: child.introspectionAliases,
      };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, seen, measured);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      const known = measured.get(name);
      if (known) {
        inner = known;
      } else {
        inner = measure(fragment.selectionSet, fragments, new Set([...seen, name]), measured);
        measured.set(name, inner);
      }
    }
    total.depth = Math.max(total.depth, inner.depth);
    total.cost += inner.cost;
    total.aliases += inner.aliases;
    total.introspectionAliases += inner.introspectionAliases;
  }
  return total;
}

/** One validation rule that measures each operation once and reports every limit it passes. */
export function limitRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const m = measure(operation.selectionSet, fragments, new Set(), new Map());
        if (m.depth > limits.maxDepth) {
          context.reportError(
            limitError(
              ErrorCode.QUERY_TOO_DEEP,
              `The operation nests ${m.depth} levels deep; at most ${limits.maxDepth} are allowed`,
              limits.maxDepth,
              m.depth,
            ),
          );
        }
        if (m.aliases > limits.maxAliases) {
          context.reportError(
            limitError(
              ErrorCode.TOO_MANY_ALIASES,
              `The operation uses ${m.aliases} aliases; at most ${limits.maxAliases} are allowed`,
              limits.maxAliases,
              m.aliases,
            ),
          );
        }
        if (m.cost > limits.maxCost) {
          context.reportError(
            limitError(
              ErrorCode.QUERY_TOO_COMPLEX,
              `The operation could resolve about ${m.cost} fields (page sizes multiplied through); at most ${limits.maxCost} are allowed. Ask for smaller pages or fewer nested lists`,
              limits.maxCost,
              m.cost,
            ),
          );
        }
        if (m.introspectionAliases > 0) {
          context.reportError(
            limitError(
              ErrorCode.TOO_MANY_ALIASES,
              `The operation uses ${m.introspectionAliases} aliases on __schema or inside introspection, where none is allowed: each would read the schema again`,
              0,
              m.introspectionAliases,
            ),
          );
        }
        return false;
      },
    };
  };
}
