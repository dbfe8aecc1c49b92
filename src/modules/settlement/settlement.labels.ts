/** Polish labels of a settlement's values, for the finance office's CSV and PDF statement alike. */
export const STATUS_LABELS: Record<string, string> = { OPEN: 'otwarte', SUBMITTED: 'złożone', RETURNED: 'zwrócone do poprawy', ACCEPTED: 'przyjęte' };
export const UNIT_LABELS: Record<string, string> = { HOURS: 'godziny', SESSIONS: 'sesje' };
export const RULE_LABELS: Record<string, string> = {
  UNIT_PRICE: 'ilość × cena jednostkowa',
  BUDGET_PER_VOLUME: 'ilość × budżet / wolumen',
  MONTHLY_INSTALMENT: 'rata miesięczna budżetu',
  NONE: 'brak budżetu',
};
