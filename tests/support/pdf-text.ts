import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of a PDF, page by page, as pdfjs-dist (Mozilla's reader) extracts it: what a person would
 * copy out of a viewer. Items of one line are joined with spaces and lines with newlines, so tests
 * assert on words and figures, diacritics included, not on the layout.
 */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const loading = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 });
  try {
    const document = await loading.promise;
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : ' ');
      }
      pages.push(
        text
          .replace(/[ ]+\n/g, '\n')
          .replace(/[ ]{2,}/g, ' ')
          .trim(),
      );
    }
    return pages;
  } finally {
    await loading.destroy();
  }
}

/** The whole text of a PDF, its pages joined by a blank line. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await pdfPages(pdf)).join('\n\n');
}
