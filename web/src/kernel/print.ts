// Print pages (/print/…): A4 pages opened in a new tab, with a 打印 button; the browser's print
// dialog saves them as PDF.

/** Opens a print page in a new tab. */
export function openPrint(path: string) {
  window.open(path, '_blank', 'noopener');
}
