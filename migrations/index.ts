import { Migration20261122000000Platform } from './Migration20261122000000Platform.js';

/** Every migration, in order. Listed explicitly so the same list runs from source (tests) and from dist. */
export const migrationsList = [
  { name: 'Migration20261122000000Platform', class: Migration20261122000000Platform },
];
