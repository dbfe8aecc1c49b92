import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../graphql/context.js';
import type { Role } from './roles.js';

/**
 * `@Authorized(Role.X, ...)` on a query, mutation or field: the principal's role must be listed.
 * The role check is the first gate; which rows the role then sees is decided by the database.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => roles.length === 0 || roles.includes(context.principal.role);
