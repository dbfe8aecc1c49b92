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
