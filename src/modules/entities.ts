import { Gmina } from './gmina/gmina.entity.js';
import { CusUnit } from './cus-unit/cus-unit.entity.js';
import { FundingProject } from './cus-unit/funding-project.entity.js';
import { partnerEntities } from './partner/index.js';
import { catalogueEntities } from './catalogue/index.js';
import { diagnosisEntities } from './diagnosis/index.js';
import { programmeEntities } from './programme/index.js';
import { feeEntities } from './fee/index.js';
import { calendarEntities } from './calendar/index.js';
import { consultationEntities } from './consultation/index.js';
import { surveyEntities } from './survey/index.js';
import { communityEntities } from './community/index.js';
import { residentEntities } from './resident/index.js';
import { applicationEntities } from './application/index.js';
import { ipusEntities } from './ipus/index.js';
import { ipusScanEntities } from './ipus-scan/index.js';
import { commissionEntities } from './commission/index.js';
import { deliveryEntities } from './delivery/index.js';
import { settlementEntities } from './settlement/index.js';
import { waitingListEntities } from './waiting-list/index.js';

/** Every MikroORM entity of the platform. */
export const entities = [
  Gmina,
  CusUnit,
  FundingProject,
  ...partnerEntities,
  ...catalogueEntities,
  ...diagnosisEntities,
  ...programmeEntities,
  ...feeEntities,
  ...calendarEntities,
  ...consultationEntities,
  ...surveyEntities,
  ...communityEntities,
  ...residentEntities,
  ...applicationEntities,
  ...ipusEntities,
  ...ipusScanEntities,
  ...commissionEntities,
  ...deliveryEntities,
  ...settlementEntities,
  ...waitingListEntities,
];
