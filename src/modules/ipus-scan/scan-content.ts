/**
 * What a signed scan may be: a PDF, a JPEG or a PNG, told by its first bytes (not by its name), and at
 * most MAX_SCAN_BYTES, so its base64 fits a GraphQL request (MAX_BODY_BYTES, 1 MB) with room to spare.
 */
export const MAX_SCAN_BYTES = 600_000;

/** The media types accepted, each with the bytes a file of that type starts with. */
export const SCAN_TYPES = [
  { type: 'PDF', mediaType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'JPEG', mediaType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'PNG', mediaType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
] as const;

export type ScanFileTypeCode = (typeof SCAN_TYPES)[number]['type'];
export const SCAN_FILE_TYPES: ScanFileTypeCode[] = SCAN_TYPES.map((t) => t.type);

/** The type the content's first bytes say it is, or null for none of those accepted. */
export function scanFileType(content: Buffer): ScanFileTypeCode | null {
  return SCAN_TYPES.find((t) => t.magic.every((byte, i) => content[i] === byte))?.type ?? null;
}

/** The media type (Content-Type) of a scan of that type. */
export const mediaTypeOf = (type: ScanFileTypeCode): string => SCAN_TYPES.find((t) => t.type === type)?.mediaType ?? 'application/octet-stream';

/** The bytes of a base64 text, or null when it is not base64 (whitespace is allowed, as mail clients wrap it). */
export function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}
