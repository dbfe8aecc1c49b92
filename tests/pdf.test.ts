import 'reflect-metadata';
import { describe, expect, test } from 'vitest';
import { PdfDocumentBuilder } from '../src/platform/pdf/pdf-document.js';
import { pdfPages, pdfText } from './support/pdf-text.js';
import { VolumeUnit } from '../src/modules/commission/commission.enums.js';
import { settlementPdf } from '../src/modules/settlement/settlement-pdf.js';
import { SettlementStatus } from '../src/modules/settlement/settlement.enums.js';
import { buildStatement } from '../src/modules/settlement/settlement-statement.js';

/** The PDF builder alone (src/platform/pdf/): what it draws reads back as text, Polish letters included. */
describe('PDF documents', () => {
  test('Polish diacritics round-trip through the embedded DejaVu fonts, in every part of a document', async () => {
    const pdf = await new PdfDocumentBuilder({ title: 'Próba', footer: 'Centrum Usług Społecznych w Wiązownie' })
      .title('Zażółć gęślą jaźń')
      .heading('ZAŻÓŁĆ GĘŚLĄ JAŹŃ')
      .paragraph('Pchnąć w tę łódź jeża lub ośm skrzyń fig.')
      .keyValues([
        ['Partner', 'Stowarzyszenie „Łączy nas pomoc”'],
        ['Miesiąc', 'listopad 2026'],
      ])
      .table({
        columns: [
          { header: 'Usługa', weight: 3 },
          { header: 'Kwota', align: 'right' },
        ],
        rows: [['Usługi opiekuńcze', '1 234,56 zł']],
      })
      .render();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const phrase of [
      'Zażółć gęślą jaźń',
      'ZAŻÓŁĆ GĘŚLĄ JAŹŃ',
      'Pchnąć w tę łódź jeża lub ośm skrzyń fig.',
      'Stowarzyszenie „Łączy nas pomoc”',
      'listopad 2026',
      'Usługi opiekuńcze',
      '1 234,56 zł',
      'Centrum Usług Społecznych w Wiązownie',
      'Strona 1 z 1',
    ]) {
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

/** A settlement's PDF statement, from figures as settlementStatement builds them (settlement-statement.ts). */
describe('the PDF statement of a settlement', () => {
  const head = {
    settlementId: '0193a000-0000-7000-8000-00000000f001',
    month: '2026-11-01',
    status: SettlementStatus.ACCEPTED,
    commissionId: '0193a000-0000-7000-8000-00000000f002',
    commissionTitle: 'Usługi opiekuńcze w Żółkiewce',
    agreementNumber: 'UM/ŚĆ/12/2026',
    partnerName: 'Stowarzyszenie „Łączy nas pomoc” w Łęcznej',
    terms: { unitPrice: '42.50', budget: '10000.00', volume: '200', volumeUnit: VolumeUnit.HOURS, periodStart: '2026-01-01', periodEnd: '2026-12-31' },
    indicatorValues: [{ indicator: 'Zadowolenie uczestników (ankieta)', value: '92%' }],
    acceptedBefore: 700000n,
  };
  const row = (item: string, person: number, month: string, adjustment: boolean, delivered: number, minutes: number) => ({
    item_id: item,
    service_name: item.endsWith('1') ? 'Usługi opiekuńcze w domu' : 'Specjalistyczne usługi opiekuńcze',
    person_no: person,
    concerns_month: month,
    adjustment,
    delivered,
    minutes,
    absent: 1,
    cancelled: 0,
  });

  test('names the commission, the partner and the month in Polish, with every line, the totals, the state and who accepted it', async () => {
    const statement = buildStatement(
      head,
      [
        row('0193a000-0000-7000-8000-0000000000c1', 1, '2026-11-01', false, 8, 960),
        row('0193a000-0000-7000-8000-0000000000c2', 2, '2026-11-01', false, 4, 360),
        row('0193a000-0000-7000-8000-0000000000c1', 1, '2026-10-01', true, 1, 90),
      ],
      0.8,
    );
    const pdf = await settlementPdf(statement, { acceptedBy: 'dyrektor Żaneta Ślęzak', acceptedAt: new Date('2026-12-03T10:15:00Z') }, 'CUS w Żółkiewce');
    // Labels and names may wrap in their cells: compare words, not lines.
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    for (const phrase of [
      'Zestawienie rozliczenia za listopad 2026',
      'Usługi opiekuńcze w Żółkiewce',
      'UM/ŚĆ/12/2026',
      'Stowarzyszenie „Łączy nas pomoc” w Łęcznej',
      'przyjęte',
      'dyrektor Żaneta Ślęzak, 2026-12-03 10:15 UTC',
      '42,50 zł',
      '10 000,00 zł',
      'ilość × cena jednostkowa',
      // Lines: 16 h and 6 h at 42.50; the October adjustment 1.5 h.
      'Usługi opiekuńcze w domu 2026-11 8 16 1 0 16 680,00 zł',
      'Specjalistyczne usługi opiekuńcze 2026-11 4 6 1 0 6 255,00 zł',
      'Razem za miesiąc 2026-11 12 22 2 0 22 935,00 zł',
      'Osoby objęte usługą w miesiącu 2',
      'Korekty przyjętych miesięcy',
      'Usługi opiekuńcze w domu 2026-10 1 1,5 1 0 1,5 63,75 zł',
      'Razem korekty 1 1,5 1 0 1,5 63,75 zł',
      'Kwota należna 998,75 zł',
      'Przyjęte wcześniej 7 000,00 zł',
      'Wykorzystanie budżetu narastająco 7 998,75 zł',
      'Udział w budżecie 79,98%',
      'Ostrzeżenie o wykorzystaniu budżetu nie',
      'Zadowolenie uczestników (ankieta) 92%',
      'CUS w Żółkiewce',
      'Strona 1 z',
    ]) {
      expect(text).toContain(phrase);
    }
  });
});
