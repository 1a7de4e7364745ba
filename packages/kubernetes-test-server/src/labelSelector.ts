/**
 * Kubernetes label selectors (`labelSelector` of list requests): equality-based (`a=b`,
 * `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) requirements, all of
 * which must hold.
 */
export type LabelRequirement = (labels: Record<string, string>) => boolean;

/** Splits at commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

/** Parses a selector; throws on a term Kubernetes would refuse (the server answers 400). */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTerms(selector).map(term => {
    let m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
    if (m) {
      const [, key, op, value] = m;
      return op === '!='
        ? labels => labels[key] !== value
        : labels => labels[key] === value;
    }
    m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const [, key, op, list] = m;
      const values = list.split(',').map(v => v.trim());
      return op === 'in'
        ? labels => key in labels && values.includes(labels[key])
        : labels => !(key in labels) || !values.includes(labels[key]);
    }
    m = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (m) {
      const [, not, key] = m;
      return not ? labels => !(key in labels) : labels => key in labels;
    }
    throw new Error(`unable to parse requirement: ${term}`);
  });
}
