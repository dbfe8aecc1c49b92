import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Payload } from '../common/payload.js';
import { IpusAgreementScan } from './scan.entity.js';

@InputType({ description: "Attach the signed scan of a plan's agreement, once the agreement is recorded (ipusActivate); one per plan" })
export class IpusAgreementScanAttachInput {
  @Field(() => ID, { description: 'The plan whose agreement it records' }) ipusId!: string;
  @Field(() => String, { description: 'The name of the file, e.g. ipus-podpisany.pdf' }) fileName!: string;
  @Field(() => String, { description: 'The file, base64: a PDF, JPEG or PNG (told by its first bytes) of 600,000 bytes at most' }) contentBase64!: string;
}

@ObjectType()
export class IpusAgreementScanAttachPayload extends Payload(() => IpusAgreementScan, 'scan', 'The scan attached') {}
