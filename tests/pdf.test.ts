import { describe, expect, test } from 'vitest';
import { PdfDocumentBuilder } from '../src/platform/pdf/pdf-document.js';
import { pdfPages, pdfText } from './support/pdf-text.js';

/** The PDF builder alone (src/platform/pdf/): what it draws reads back as text, Polish letters included. */
describe('PDF documents', () => {
  test('Polish diacritics round-trip through the embedded DejaVu fonts, in every part of a document', async () => {
    const pdf = await new PdfDocumentBuilder({ title: 'Próba', footer: 'Centrum Usług Społecznych w Wiązownie' })
      .title('Zażółć gęślą jaźń')
      .heading('ZAŻÓŁĆ GĘŚLĄ JAŹŃ')
      .paragraph('Pchnąć w tę łódź jeża lub ośm skrzyń fig.')
      .keyValues([['Partner', 'Stowarzyszenie „Łączy nas pomoc”'], ['Miesiąc', 'listopad 2026']])
      .table({ columns: [{ header: 'Usługa', weight: 3 }, { header: 'Kwota', align: 'right' }], rows: [['Usługi opiekuńcze', '1 234,56 zł']] })
      .render();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const phrase of ['Zażółć gęślą jaźń', 'ZAŻÓŁĆ GĘŚLĄ JAŹŃ', 'Pchnąć w tę łódź jeża lub ośm skrzyń fig.', 'Stowarzyszenie „Łączy nas pomoc”',
      'listopad 2026', 'Usługi opiekuńcze', '1 234,56 zł', 'Centrum Usług Społecznych w Wiązownie', 'Strona 1 z 1']) {
      expect(text).toContain(phrase);
    }
  });

  test('a long table runs onto further pages with its header repeated; every page is numbered of the total', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`Pozycja ${i + 1}`, String(i + 1)]);
    const pdf = await new PdfDocumentBuilder({ title: 'Długa tabela' })
      .title('Długa tabela')
      .table({ columns: [{ header: 'Nazwa pozycji' }, { header: 'Liczba', align: 'right' }], rows, footerRows: [['Razem', '7260']] })
      .pageBreak()
      .paragraph('Ostatnia strona')
      .render();
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((page, i) => expect(page).toContain(`Strona ${i + 1} z ${pages.length}`));
    for (const page of pages.slice(0, -1)) expect(page).toContain('Nazwa pozycji');
    const all = pages.join('\n');
    for (const row of rows) expect(all).toContain(`${row[0]} ${row[1]}`);
    expect(pages.at(-2)).toContain('Razem 7260');
    expect(pages.at(-1)).toContain('Ostatnia strona');
    expect(pages.at(-1)).not.toContain('Nazwa pozycji');
  });
});
