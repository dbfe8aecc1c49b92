import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/*
 * Documents a finance office or a resident receives (settlement statements, decisions, plans), as PDF.
 * pdfkit's built-in fonts are WinAnsi-encoded and cannot draw ą, ę, ł, ś, ż and the other Polish letters,
 * so every document embeds DejaVu Sans (regular and bold) from the dejavu-fonts-ttf package.
 */

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 50;
const BODY_SIZE = 10;
const CELL_PADDING = 3;

const DAY_FORMAT = new Intl.DateTimeFormat('pl-PL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A calendar day (YYYY-MM-DD) as documents print it in Polish: "7 grudnia 2026 r.". */
export const polishDay = (day: string): string => `${DAY_FORMAT.format(new Date(`${day}T00:00:00Z`))} r.`;

export type ColumnAlign = 'left' | 'right' | 'center';

/** A column of a table: its header, its share of the page width (weights are relative), how its cells align. */
export interface PdfColumn {
  header: string;
  weight?: number;
  align?: ColumnAlign;
}

export interface PdfTable {
  columns: PdfColumn[];
  rows: string[][];
  /** Rows drawn in bold after the others, e.g. totals. */
  footerRows?: string[][];
}

export interface PdfDocumentOptions {
  /** The document's title in its metadata (what a viewer shows in its title bar). */
  title: string;
  author?: string;
  /** Left part of every page's footer, e.g. the issuing unit; the right part is "Strona n z m". */
  footer?: string;
}

/**
 * A small builder over pdfkit: a title, headings, paragraphs, key-value rows, tables with aligned
 * columns (a header repeated on every page the table runs onto), page breaks, and a footer with page
 * numbers drawn once all pages are known. `render()` gives the finished file.
 */
export class PdfDocumentBuilder {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly finished: Promise<Buffer>;
  private readonly footerText: string;

  constructor(options: PdfDocumentOptions) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN + 15, left: MARGIN, right: MARGIN },
      bufferPages: true,
      info: { Title: options.title, Author: options.author ?? 'CUS platform', Creator: 'cus-platform' },
      lang: 'pl-PL',
    });
    this.doc.registerFont('regular', FONT_REGULAR);
    this.doc.registerFont('bold', FONT_BOLD);
    this.doc.font('regular').fontSize(BODY_SIZE);
    this.footerText = options.footer ?? '';
    this.finished = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  private ensureRoom(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string): this {
    this.doc.font('bold').fontSize(16).text(text, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.6).font('regular').fontSize(BODY_SIZE);
    return this;
  }

  heading(text: string): this {
    this.ensureRoom(40);
    this.doc.moveDown(0.4).font('bold').fontSize(12).text(text, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3).font('regular').fontSize(BODY_SIZE);
    return this;
  }

  paragraph(text: string): this {
    this.doc.font('regular').fontSize(BODY_SIZE).text(text, MARGIN, this.doc.y, { width: this.width, align: 'left' });
    this.doc.moveDown(0.5);
    return this;
  }

  /** Label and value pairs, the label in bold in a column of its own. */
  keyValues(rows: [label: string, value: string][]): this {
    const labelWidth = this.width * 0.35;
    const valueWidth = this.width - labelWidth - CELL_PADDING;
    for (const [label, value] of rows) {
      const height = Math.max(
        this.doc.font('bold').heightOfString(label, { width: labelWidth }),
        this.doc.font('regular').heightOfString(value || ' ', { width: valueWidth }),
      );
      this.ensureRoom(height + 2);
      const y = this.doc.y;
      this.doc.font('bold').text(label, MARGIN, y, { width: labelWidth });
      this.doc.font('regular').text(value || ' ', MARGIN + labelWidth + CELL_PADDING, y, { width: valueWidth });
      this.doc.y = y + height + 2;
    }
    this.doc.x = MARGIN;
    this.doc.moveDown(0.5);
    return this;
  }

  table(table: PdfTable): this {
    const total = table.columns.reduce((sum, c) => sum + (c.weight ?? 1), 0);
    const widths = table.columns.map((c) => (this.width * (c.weight ?? 1)) / total);
    const header = table.columns.map((c) => c.header);
    const columns = table.columns;
    this.doc.fontSize(9);
    const headerHeight = this.rowHeight(header, widths, 'bold');
    // The header stays with at least the first row; a row that does not fit opens a page headed again.
    this.ensureRoom(headerHeight + this.rowHeight(table.rows[0] ?? header, widths, 'regular'));
    this.drawRow(header, widths, columns, 'bold', true);
    const body: [string[], 'regular' | 'bold'][] = [
      ...table.rows.map((cells) => [cells, 'regular'] as [string[], 'regular']),
      ...(table.footerRows ?? []).map((cells) => [cells, 'bold'] as [string[], 'bold']),
    ];
    for (const [cells, font] of body) {
      if (this.doc.y + this.rowHeight(cells, widths, font) > this.bottom) {
        this.doc.addPage();
        this.doc.fontSize(9);
        this.drawRow(header, widths, columns, 'bold', true);
      }
      this.drawRow(cells, widths, columns, font, false);
    }
    this.doc.x = MARGIN;
    this.doc.fontSize(BODY_SIZE).font('regular').moveDown(0.5);
    return this;
  }

  private rowHeight(cells: string[], widths: number[], font: 'regular' | 'bold'): number {
    this.doc.font(font);
    return Math.max(...cells.map((cell, i) => this.doc.heightOfString(cell || ' ', { width: widths[i] - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  }

  private drawRow(cells: string[], widths: number[], columns: PdfColumn[], font: 'regular' | 'bold', shaded: boolean): void {
    const height = this.rowHeight(cells, widths, font);
    const y = this.doc.y;
    if (shaded) this.doc.rect(MARGIN, y, this.width, height).fill('#e8e8e8').fillColor('black');
    let x = MARGIN;
    cells.forEach((cell, i) => {
      this.doc.font(font).text(cell || ' ', x + CELL_PADDING, y + CELL_PADDING, { width: widths[i] - 2 * CELL_PADDING, align: columns[i]?.align ?? 'left' });
      x += widths[i];
    });
    this.doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + this.width, y + height)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    this.doc.y = y + height;
  }

  pageBreak(): this {
    this.doc.addPage();
    return this;
  }

  /** Draws the footers on every page and ends the document. */
  async render(): Promise<Buffer> {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      // Text below the bottom margin would make pdfkit open a page; lift the margin while the footer is drawn.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - MARGIN;
      this.doc.font('regular').fontSize(8).fillColor('#555555');
      if (this.footerText) this.doc.text(this.footerText, MARGIN, y, { width: this.width * 0.7, lineBreak: false });
      this.doc.text(`Strona ${i - start + 1} z ${count}`, MARGIN, y, { width: this.width, align: 'right', lineBreak: false });
      this.doc.fillColor('black');
      this.doc.page.margins.bottom = margin;
    }
    this.doc.end();
    return this.finished;
  }
}
