// The ecomap arrives as an SVG string drawn by our own Rust renderer. It is shown inline (so
// its text scales and reads), but only after anything that could run code is taken out, in
// case a name in a note ever slips through the renderer unescaped.

const FORBIDDEN = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'use', 'animate', 'set']);

function clean(element: Element): void {
  for (const child of [...element.children]) {
    if (FORBIDDEN.has(child.localName.toLowerCase())) child.remove();
    else clean(child);
  }
  for (const attribute of [...element.attributes]) {
    const name = attribute.name.toLowerCase();
    const value = attribute.value.trim().toLowerCase();
    const isLink = name === 'href' || name.endsWith(':href') || name === 'src';
    if (name.startsWith('on') || (isLink && !value.startsWith('#'))) {
      element.removeAttribute(attribute.name);
    }
  }
}

/** The SVG element, cleaned, or null when the text is not an SVG document. */
export function sanitiseSvg(source: string): SVGSVGElement | null {
  const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) return null;
  clean(root);
  return document.importNode(root, true) as unknown as SVGSVGElement;
}
