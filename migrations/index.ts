import { Migration20261122000000Platform } from './Migration20261122000000Platform.js';
import { Migration20261123000100Partners } from './Migration20261123000100Partners.js';
import { Migration20261123000200Catalogue } from './Migration20261123000200Catalogue.js';
import { Migration20261123000300Programmes } from './Migration20261123000300Programmes.js';
import { Migration20261123000400SurveysCommunity } from './Migration20261123000400SurveysCommunity.js';
import { Migration20261123000500Residents } from './Migration20261123000500Residents.js';
import { Migration20261123000600Ipus } from './Migration20261123000600Ipus.js';
import { Migration20261127000700Commissioning } from './Migration20261127000700Commissioning.js';
import { Migration20261127000800Reporting } from './Migration20261127000800Reporting.js';
import { Migration20261127000900NextVisits } from './Migration20261127000900NextVisits.js';
import { Migration20261127001000OutboxCommitTime } from './Migration20261127001000OutboxCommitTime.js';
import { Migration20261127001100ReportCountry } from './Migration20261127001100ReportCountry.js';
import { Migration20261127001200ServiceReadIndexable } from './Migration20261127001200ServiceReadIndexable.js';
import { Migration20261207000100PartnerRelationships } from './Migration20261207000100PartnerRelationships.js';
import { Migration20261207000300TokenDoor } from './Migration20261207000300TokenDoor.js';
import { Migration20261207000310PartnerGround } from './Migration20261207000310PartnerGround.js';
import { Migration20261207000400DocumentGminy } from './Migration20261207000400DocumentGminy.js';
import { Migration20261207000410SurveyAnonymity } from './Migration20261207000410SurveyAnonymity.js';
import { Migration20261207000420DocumentGminyCheckedOnChange } from './Migration20261207000420DocumentGminyCheckedOnChange.js';
import { Migration20261207000500StatutoryCusPerGmina } from './Migration20261207000500StatutoryCusPerGmina.js';
import { Migration20261207000510OnePersonPerCentre } from './Migration20261207000510OnePersonPerCentre.js';
import { Migration20261207000600ReportCellKey } from './Migration20261207000600ReportCellKey.js';

/** Every migration, in order. Listed explicitly so the same list runs from source (tests) and from dist. */
export const migrationsList = [
  { name: 'Migration20261122000000Platform', class: Migration20261122000000Platform },
  { name: 'Migration20261123000100Partners', class: Migration20261123000100Partners },
  { name: 'Migration20261123000200Catalogue', class: Migration20261123000200Catalogue },
  { name: 'Migration20261123000300Programmes', class: Migration20261123000300Programmes },
  { name: 'Migration20261123000400SurveysCommunity', class: Migration20261123000400SurveysCommunity },
  { name: 'Migration20261123000500Residents', class: Migration20261123000500Residents },
  { name: 'Migration20261123000600Ipus', class: Migration20261123000600Ipus },
  { name: 'Migration20261127000700Commissioning', class: Migration20261127000700Commissioning },
  { name: 'Migration20261127000800Reporting', class: Migration20261127000800Reporting },
  { name: 'Migration20261127000900NextVisits', class: Migration20261127000900NextVisits },
  { name: 'Migration20261127001000OutboxCommitTime', class: Migration20261127001000OutboxCommitTime },
  { name: 'Migration20261127001100ReportCountry', class: Migration20261127001100ReportCountry },
  { name: 'Migration20261127001200ServiceReadIndexable', class: Migration20261127001200ServiceReadIndexable },
  { name: 'Migration20261207000100PartnerRelationships', class: Migration20261207000100PartnerRelationships },
  { name: 'Migration20261207000300TokenDoor', class: Migration20261207000300TokenDoor },
  { name: 'Migration20261207000310PartnerGround', class: Migration20261207000310PartnerGround },
  { name: 'Migration20261207000400DocumentGminy', class: Migration20261207000400DocumentGminy },
  { name: 'Migration20261207000410SurveyAnonymity', class: Migration20261207000410SurveyAnonymity },
  { name: 'Migration20261207000420DocumentGminyCheckedOnChange', class: Migration20261207000420DocumentGminyCheckedOnChange },
  { name: 'Migration20261207000500StatutoryCusPerGmina', class: Migration20261207000500StatutoryCusPerGmina },
  { name: 'Migration20261207000510OnePersonPerCentre', class: Migration20261207000510OnePersonPerCentre },
  { name: 'Migration20261207000600ReportCellKey', class: Migration20261207000600ReportCellKey },
];
