// Local inlang plugin for flat JSON message files ({ "key": "text with {name}" }).
// Why local: the stock plugin is loaded from a CDN at build time, which CI cannot reach
// and which would let a third party change what the build runs. The SDK imports this
// file as a data: URL, so it must stay self-contained (no imports).

const KEY = 'plugin.minhbach.jsonMessages';

function parsePattern(text) {
  const pattern = [];
  const names = [];
  let buffer = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '{' || text[i + 1] === '}' || text[i + 1] === '\\')) {
      buffer += text[++i];
      continue;
    }
    if (ch === '{') {
      const end = text.indexOf('}', i);
      const name = end === -1 ? '' : text.slice(i + 1, end).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`invalid placeholder in message: ${JSON.stringify(text)}`);
      }
      if (buffer) pattern.push({ type: 'text', value: buffer });
      buffer = '';
      pattern.push({ type: 'expression', arg: { type: 'variable-reference', name } });
      if (!names.includes(name)) names.push(name);
      i = end;
      continue;
    }
    buffer += ch;
  }
  if (buffer) pattern.push({ type: 'text', value: buffer });
  return { pattern, names };
}

export default {
  key: KEY,
  // pathPattern may list several files per locale (one per area of the app), so parallel
  // work on different areas never edits the same message file.
  toBeImportedFiles: async ({ settings }) => {
    const patterns = [settings[KEY].pathPattern].flat();
    return settings.locales.flatMap((locale) =>
      patterns.map((pattern) => ({ locale, path: pattern.replace('{locale}', locale) })),
    );
  },
  importFiles: async ({ files }) => {
    const bundles = new Map();
    const messages = [];
    const variants = [];
    for (const file of files) {
      const json = JSON.parse(new TextDecoder().decode(file.content));
      for (const [id, value] of Object.entries(json)) {
        if (id === '$schema') continue;
        if (typeof value !== 'string') {
          throw new Error(`message ${id} (${file.locale}) must be a string`);
        }
        if (messages.some((m) => m.bundleId === id && m.locale === file.locale)) {
          throw new Error(`message ${id} (${file.locale}) is defined in two files`);
        }
        const { pattern, names } = parsePattern(value);
        const bundle = bundles.get(id) ?? { id, declarations: [] };
        for (const name of names) {
          if (!bundle.declarations.some((d) => d.name === name)) {
            bundle.declarations.push({ type: 'input-variable', name });
          }
        }
        bundles.set(id, bundle);
        messages.push({ bundleId: id, locale: file.locale, selectors: [] });
        variants.push({ messageBundleId: id, messageLocale: file.locale, matches: [], pattern });
      }
    }
    return { bundles: [...bundles.values()], messages, variants };
  },
};
