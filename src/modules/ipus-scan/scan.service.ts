import type { RequestContext } from '../../platform/graphql/context.js';
import { rowByKey } from '../../platform/graphql/row-loaders.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { findVisible } from '../common/find.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { Ipus } from '../ipus/ipus.entity.js';
import { decodeBase64, MAX_SCAN_BYTES, scanFileType } from './scan-content.js';
import { IpusAgreementScan } from './scan.entity.js';
import type { IpusAgreementScanAttachInput } from './scan.inputs.js';

/** Each plan's scan, or null, in one query for a list of plans: what the plan's readers may see (the table's policies say who). */
export const scanOfPlan = (ctx: RequestContext) => rowByKey(ctx, 'ipus.agreementScan', IpusAgreementScan, 'ipusId');

const ALREADY = 'The plan already has its signed scan';

/**
 * Attaches the signed scan to a plan whose agreement is recorded: a PDF, JPEG or PNG by its first bytes, of
 * MAX_SCAN_BYTES at most, once per plan; another gmina's plan is NOT_FOUND. A refusal writes nothing.
 */
export async function attachAgreementScan(ctx: RequestContext, input: IpusAgreementScanAttachInput): Promise<Result<IpusAgreementScan>> {
  const errors = new UserErrors();
  const plan = await findVisible(ctx, Ipus, input.ipusId, 'ipusId', errors, 'plan');
  if (plan && plan.agreedOn === null) {
    errors.add('ipusId', "Record the resident's agreement first (ipusActivate): the scan is its record", UserErrorCode.PREREQUISITE_MISSING);
  } else if (plan && (await ctx.em.count(IpusAgreementScan, { ipusId: plan.id })) > 0) {
    errors.add('ipusId', ALREADY, UserErrorCode.DUPLICATE);
  }
  const fileName = textOrNull(input.fileName);
  if (fileName === null) errors.add('fileName', 'Name the file', UserErrorCode.REQUIRED);
  const content = decodeBase64(input.contentBase64);
  const fileType = content ? scanFileType(content) : null;
  if (!content) errors.add('contentBase64', 'The file must be sent as base64', UserErrorCode.INVALID);
  else if (content.length > MAX_SCAN_BYTES) {
    errors.add('contentBase64', `The file has ${content.length} bytes; a scan takes ${MAX_SCAN_BYTES} at most`, UserErrorCode.OUT_OF_RANGE);
  } else if (!fileType) errors.add('contentBase64', 'A scan is a PDF, a JPEG or a PNG file', UserErrorCode.INVALID);
  if (!plan || !content || !fileType || fileName === null || errors.any) return refuse(errors);

  const scan = ctx.em.create(IpusAgreementScan, {
    gminaId: plan.gminaId,
    ipusId: plan.id,
    fileName,
    fileType,
    sizeBytes: content.length,
    content,
    uploadedBy: ctx.principal.subject,
  });
  // Two attaches at once both pass the check above: the unique index on ipus_id decides.
  if (!(await flushUnlessDuplicate(ctx, 'ipus_agreement_scan_ipus_id_key'))) {
    errors.add('ipusId', ALREADY, UserErrorCode.DUPLICATE);
    return refuse(errors);
  }
  return ok(scan);
}
