// SVG elements for the page's small hand-drawn figures (reliability
// diagrams, Compare ε's panels).
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element `name` with `attrs` and, if given, its text. */
export function svgElement(name, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}
