import { AREA_LABELS, TARGET_GROUP_LABELS } from '../common/domain.labels.js';
import { GminaKind } from '../gmina/gmina.entity.js';
import { PartnerKind } from '../partner/partner.entity.js';
import { CusCreationMode } from '../cus-unit/cus-unit.entity.js';
import { ReportDimension as D } from './report.enums.js';
import type { TerminationCode } from '../ipus/termination-reason.js';

/**
 * Polish names of the values of the enumerated report dimensions, as a ministry analyst reads them
 * in a table or a CSV (issue 18). Regions are named from the gmina table (TERYT); see report.service.ts.
 */

/** The kinds of gmina as TERYT names them (the last digit of the TERC code: 1, 2, 3). */
export const GMINA_KIND_LABELS: Record<GminaKind, string> = {
  URBAN: 'gmina miejska',
  RURAL: 'gmina wiejska',
  URBAN_RURAL: 'gmina miejsko-wiejska',
};

export const PARTNER_KIND_LABELS: Record<PartnerKind, string> = {
  NGO: 'organizacja pozarządowa',
  SOCIAL_ECONOMY: 'podmiot ekonomii społecznej',
  PUBLIC_INSTITUTION: 'instytucja publiczna',
  CHURCH_BODY: 'kościelna osoba prawna lub związek wyznaniowy',
  BUSINESS: 'przedsiębiorca',
  INFORMAL_GROUP: 'grupa nieformalna',
};

export const CREATION_MODE_LABELS: Record<CusCreationMode, string> = {
  OPS_TRANSFORMED: 'przekształcenie ośrodka pomocy społecznej',
  INTERMUNICIPAL_AGREEMENT: 'porozumienie międzygminne',
  ADDITIONAL_LARGE_CITY: 'dodatkowe centrum w mieście powyżej 100 tys. mieszkańców',
};

export const TERMINATION_REASON_LABELS: Record<TerminationCode, string> = {
  DEATH: 'śmierć mieszkańca',
  MOVED_AWAY: 'wyprowadzka z gminy',
  RESIDENT_RESIGNED: 'rezygnacja mieszkańca',
  GOALS_REACHED_EARLY: 'cele osiągnięte przed końcem planu',
  OTHER: 'inna przyczyna',
};

const MONTHS = ['styczeń', 'luty', 'marzec', 'kwiecień', 'maj', 'czerwiec', 'lipiec', 'sierpień', 'wrzesień', 'październik', 'listopad', 'grudzień'];

/** Deliveries by the centre itself, with no partner (app.report keys them ''). */
const NO_PARTNER = 'bez partnera (usługi własne CUS)';

const FIXED: Partial<Record<D, Record<string, string>>> = {
  [D.COUNTRY]: { PL: 'Polska' },
  [D.AREA]: AREA_LABELS,
  [D.TARGET_GROUP]: TARGET_GROUP_LABELS,
  [D.GMINA_KIND]: GMINA_KIND_LABELS,
  [D.PARTNER_KIND]: { ...PARTNER_KIND_LABELS, '': NO_PARTNER },
  [D.CREATION_MODE]: CREATION_MODE_LABELS,
  [D.TERMINATION_REASON]: TERMINATION_REASON_LABELS,
};

/** The Polish name of a value of a dimension that is not a region or a partner; null when it has none here. */
export function fixedLabel(dimension: D, code: string): string | null {
  if (dimension === D.MONTH && /^\d{4}-\d{2}$/.test(code)) return `${MONTHS[Number(code.slice(5)) - 1]} ${code.slice(0, 4)}`;
  if (dimension === D.PARTNER && code === '') return NO_PARTNER;
  return FIXED[dimension]?.[code] ?? null;
}

/** A gmina as TERYT names it: its name and kind, e.g. "Wiązowna (gmina wiejska)". */
export const GMINA_LABEL_SQL = `name || ' (' || case kind ${Object.entries(GMINA_KIND_LABELS)
  .map(([k, v]) => `when '${k}' then '${v}'`)
  .join(' ')} else kind end || ')'`;
