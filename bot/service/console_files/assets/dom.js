// Small helpers shared by the console's modules: every text goes on the page through textContent.

export const byId = (id) => document.getElementById(id);

export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}
