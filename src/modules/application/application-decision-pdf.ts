/**
 * A refusal decision as a PDF (issue 20, "Documents"): the administrative decision's parts (KPA art. 107 § 1)
 * as the application keeps them (application.decision), laid out in Polish on the platform's PDF builder,
 * which embeds fonts with the Polish letters. The content is stored, so the PDF can be drawn again at any time.
 */
import { PdfDocumentBuilder, polishDay } from '../../platform/pdf/pdf-document.js';
import { requestedDocument, selectionOf, type PdfAnswer, type Shape } from '../pdf-answers.js';

/** What the decision prints, as the `application(id)` query selects it. */
const DECISION_SHAPE = {
  status: true,
  filedOn: true,
  resident: { firstName: true, lastName: true },
  cusUnit: { name: true },
  decision: {
    number: true,
    date: true,
    refusalReason: true,
    legalBasis: true,
    factualReasoning: true,
    legalReasoning: true,
    appealInstruction: true,
    signatoryName: true,
    signatoryPosition: true,
    deliveredOn: true,
    appealDeadline: true,
  },
} satisfies Shape;

/** The selection of `application(id)` a PDF of its refusal decision needs (README, "Decisions and the plan as documents"). */
export const REFUSAL_DECISION_PDF_SELECTION = selectionOf(DECISION_SHAPE);

type Text = string | null;
interface DecisionDocument {
  status: string;
  filedOn: string;
  resident: { firstName: string; lastName: string };
  cusUnit: { name: string };
  decision: {
    number: Text;
    date: Text;
    refusalReason: Text;
    legalBasis: Text;
    factualReasoning: Text;
    legalReasoning: Text;
    appealInstruction: Text;
    signatoryName: Text;
    signatoryPosition: Text;
    deliveredOn: Text;
    appealDeadline: Text;
  } | null;
}

// Refusals recorded before the decision's parts were kept print what they have.
const orDash = (text: Text): string => text ?? '—';

/** The decision drawn: heading, the ruling, the reasoning, the instruction on appeal, the signature and the delivery. */
export async function refusalDecisionPdf(a: DecisionDocument & { decision: NonNullable<DecisionDocument['decision']> }): Promise<Buffer> {
  const d = a.decision;
  const doc = new PdfDocumentBuilder({ title: `Decyzja ${d.number ?? ''}`.trim(), author: a.cusUnit.name, footer: a.cusUnit.name });
  doc.paragraph(`${a.cusUnit.name}, ${d.date ? polishDay(d.date) : '—'}`);
  doc.paragraph(`Znak sprawy: ${orDash(d.number)}`);
  doc.title('DECYZJA');
  doc.paragraph(`Na podstawie: ${orDash(d.legalBasis)}`);
  doc.paragraph(
    `po rozpatrzeniu wniosku z dnia ${polishDay(a.filedOn)} złożonego przez: ${a.resident.firstName} ${a.resident.lastName} ` +
      `o przyznanie usług społecznych`,
  );
  doc.heading('orzekam');
  doc.paragraph(`odmówić przyznania usług społecznych. Powód odmowy: ${orDash(d.refusalReason)}`);
  doc.heading('Uzasadnienie');
  doc.heading('Uzasadnienie faktyczne');
  doc.paragraph(orDash(d.factualReasoning));
  doc.heading('Uzasadnienie prawne');
  doc.paragraph(orDash(d.legalReasoning));
  doc.heading('Pouczenie');
  doc.paragraph(orDash(d.appealInstruction));
  doc.heading('Podpis');
  doc.keyValues([
    ['Podpisał(a)', orDash(d.signatoryName)],
    ['Stanowisko', orDash(d.signatoryPosition)],
  ]);
  doc.heading('Doręczenie');
  doc.keyValues([
    ['Data doręczenia', d.deliveredOn ? polishDay(d.deliveredOn) : 'jeszcze nie doręczono'],
    ['Termin na wniesienie odwołania', d.appealDeadline ? `do ${polishDay(d.appealDeadline)}` : '14 dni od dnia doręczenia'],
  ]);
  return doc.render();
}

/**
 * The answer to an `application(id)` query sent with `Accept: application/pdf`: its refusal decision; null for
 * any other data, an error for an application that is not refused or a selection lacking what the decision prints.
 */
export const refusalDecisionPdfAnswer: PdfAnswer = {
  field: 'application',
  async render(data) {
    const requested = requestedDocument<DecisionDocument>(data, 'application', DECISION_SHAPE, 'No such application');
    if (!requested || 'error' in requested) return requested;
    const a = requested.document;
    if (a.status !== 'REFUSED' || !a.decision) return { error: `Only a refused application has a decision to print; this one is ${a.status}` };
    const pdf = await refusalDecisionPdf({ ...a, decision: a.decision });
    const name = (a.decision.number ?? 'odmowa').replace(/[^\p{L}\p{N}.-]+/gu, '-');
    return { body: pdf, contentType: 'application/pdf', filename: `decyzja-${name}.pdf` };
  },
};
