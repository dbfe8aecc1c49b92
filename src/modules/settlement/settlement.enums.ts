import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

export const SettlementStatus = defineEnum(
  'SettlementStatus',
  "A month's settlement of a commission: changed only by settlementSubmit, settlementAccept and settlementReturn",
  {
    OPEN: 'Opened; the partner has not reported yet',
    SUBMITTED: "The partner's report awaits the centre's decision",
    RETURNED: 'The centre sent the report back (returnReason); the partner submits it again',
    ACCEPTED: 'Accepted: its figures are frozen; later changes of the month go to the next settlement as adjustments',
  },
);
export type SettlementStatus = EnumValue<typeof SettlementStatus>;

/** How a settlement's amount due follows from the commission's terms (README, "Monthly settlement"). */
export const SettlementAmountRule = defineEnum('SettlementAmountRule', {
  UNIT_PRICE: 'Hours or sessions delivered (volumeUnit) at the unit price',
  BUDGET_PER_VOLUME: 'No unit price: hours or sessions delivered at the budget divided by the volume',
  MONTHLY_INSTALMENT: 'Neither unit price nor volume: the budget in equal monthly instalments over the period, whatever was delivered',
  NONE: 'The commission has no budget: no amount',
});
export type SettlementAmountRule = EnumValue<typeof SettlementAmountRule>;
