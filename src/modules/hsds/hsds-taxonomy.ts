import { ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { AREA_LABELS, TARGET_GROUP_LABELS } from '../common/domain.labels.js';
import { derivedId } from './hsds-ids.js';

/** HSDS taxonomy and taxonomy_term objects (taxonomy.json, taxonomy_term.json). */
export interface HsdsTaxonomy {
  id: string;
  name: string;
  description: string;
}

export interface HsdsTaxonomyTerm {
  id: string;
  code: string;
  name: string;
  description: string;
  taxonomy: string;
  taxonomy_id: string;
  language: string;
}

const ACT = 'ustawy z dnia 19 lipca 2019 r. o realizowaniu usług społecznych przez centrum usług społecznych';

const taxonomy = (name: string, description: string): HsdsTaxonomy => ({ id: derivedId('taxonomy', name), name, description });

export const AREAS_TAXONOMY = taxonomy('cus-areas', `Obszary usług społecznych wymienione w art. 2 ust. 1 ${ACT}`);
export const TARGET_GROUPS_TAXONOMY = taxonomy('cus-target-groups', 'Grupy odbiorców usług społecznych w katalogu usług centrum usług społecznych');
export const TAXONOMIES: HsdsTaxonomy[] = [AREAS_TAXONOMY, TARGET_GROUPS_TAXONOMY];

const term = (of: HsdsTaxonomy, code: string, name: string, description: string): HsdsTaxonomyTerm => ({
  id: derivedId('taxonomy_term', `${of.name}/${code}`),
  code,
  name,
  description,
  taxonomy: of.name,
  taxonomy_id: of.id,
  language: 'pl',
});

/** The 14 areas in the act's order (the enum's declaration order), then the target groups. */
export const AREA_TERMS = new Map(
  Object.values(ServiceArea).map((area, i) => [
    area,
    term(AREAS_TAXONOMY, area, AREA_LABELS[area], `Obszar usług społecznych: art. 2 ust. 1 pkt ${i + 1} ${ACT}`),
  ]),
);
export const TARGET_GROUP_TERMS = new Map(
  Object.values(TargetGroup).map((group) => [
    group,
    term(TARGET_GROUPS_TAXONOMY, group, TARGET_GROUP_LABELS[group], `Grupa odbiorców usług: ${TARGET_GROUP_LABELS[group]}`),
  ]),
);
export const TAXONOMY_TERMS: HsdsTaxonomyTerm[] = [...AREA_TERMS.values(), ...TARGET_GROUP_TERMS.values()];
