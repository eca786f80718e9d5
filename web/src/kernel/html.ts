// Markup built from strings. Vue's templates escape what they show, but ECharts' function
// formatters return HTML that the tooltip puts in with innerHTML: every value in such a string
// goes through escapeHtml, so a sensor unit like `<iframe/onload=f()>` shows as text. Print
// windows take a copy of the rendered nodes, never markup re-parsed from them.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `value` as text that is safe inside HTML elements and quoted attributes; null and undefined become ''. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Opens a window with a copy of `el` (its children only with `contentsOnly`) under `title` and
 * the stylesheet `css`, and prints it. The nodes are cloned into the new document, so nothing
 * the user typed is parsed as markup there.
 */
export function printElement(el: Element | null, title: string, css: string, contentsOnly = false) {
  if (!el) return;
  const w = window.open('', '_blank');
  if (!w) return;
  const doc = w.document;
  doc.documentElement.lang = 'zh-CN';
  doc.title = title;
  const style = doc.createElement('style');
  style.textContent = css;
  doc.head.append(style);
  const copy = doc.importNode(el, true);
  doc.body.replaceChildren(...(contentsOnly ? Array.from(copy.childNodes) : [copy]));
  w.print();
}
