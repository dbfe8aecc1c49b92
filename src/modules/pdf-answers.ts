import type { AlternativeRendering, RenderedAnswer } from '../platform/http/graphql-over-http.js';
import { notAQuery } from './report/report-csv.js';

type AnswerData = Record<string, unknown> | null | undefined;

/**
 * One document a query answers as a PDF when asked with `Accept: application/pdf` (a settlement's
 * statement, a refusal decision, an IPUS): it takes only the answers of its own query field.
 */
export interface PdfAnswer {
  /** The query field whose answer it draws, named when a request asks a PDF of something else. */
  field: string;
  /** The PDF; null when the data is not its field's (another answer may take it); an error (sent as JSON, 406) when it is but cannot be drawn. */
  render(data: AnswerData): Promise<RenderedAnswer | { error: string } | null>;
}

/** The data of a result holding exactly the one field named, or null when it holds anything else. */
export function onlyField(data: AnswerData, field: string): { value: unknown } | null {
  const fields = Object.entries(data ?? {});
  return fields.length === 1 && fields[0][0] === field ? { value: fields[0][1] } : null;
}

/** The application/pdf rendering: the first answer that takes the data draws it; a query of none of their fields is refused, naming them. */
export function pdfRendering(answers: readonly PdfAnswer[]): AlternativeRendering {
  const fields = answers.map((a) => a.field).join(', ');
  const none = `A PDF answer is for a query of one of these fields: ${fields}`;
  return {
    mediaType: 'application/pdf',
    refuse: (request) => notAQuery(request, none),
    render: async (data) => {
      for (const answer of answers) {
        const rendered = await answer.render(data);
        if (rendered) return rendered;
      }
      return { error: none };
    },
  };
}

/** The fields a document prints, as a GraphQL selection's shape: `true` for a leaf, an object for a selection below it. */
export interface Shape {
  [field: string]: true | Shape;
}

/** The shape as a GraphQL selection, e.g. `number resident { lastName }`. */
export function selectionOf(shape: Shape): string {
  return Object.entries(shape)
    .map(([field, below]) => (below === true ? field : `${field} { ${selectionOf(below)} }`))
    .join(' ');
}

/** Whether a value selected every field of the shape (null objects and each element of a list included). */
export function hasShape(value: unknown, shape: Shape): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.every((v) => hasShape(v, shape));
  if (typeof value !== 'object') return false;
  const object = value as Record<string, unknown>;
  return Object.entries(shape).every(([field, below]) => field in object && (below === true || hasShape(object[field], below)));
}

/**
 * The document a result holding exactly `field` carries: null when it holds anything else (another answer may
 * take it); an error naming the selection when the document lacks a field it prints, or `missing` when it is null.
 */
export function requestedDocument<T>(data: AnswerData, field: string, shape: Shape, missing: string): { document: T } | { error: string } | null {
  const found = onlyField(data, field);
  if (!found) return null;
  if (found.value === null) return { error: missing };
  if (!hasShape(found.value, shape)) return { error: `A PDF answer of ${field} selects at least ${selectionOf(shape)}` };
  return { document: found.value as T };
}
