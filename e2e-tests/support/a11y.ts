import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

/** The WCAG 2.0 and 2.1 A and AA rules: what the portal promises. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The impacts that fail the check; moderate and minor ones are not reported. */
const FAILING_IMPACTS = ['serious', 'critical'];

/**
 * One rule waived for the elements inside one selector, for a violation that comes from a stock
 * Backstage component and cannot be fixed from the portal's code. Keep these few: each names
 * the upstream component in `why`.
 */
export interface A11yException {
  rule: string;
  selector: string;
  why: string;
}

export const A11Y_EXCEPTIONS: A11yException[] = [
  {
    rule: 'nested-interactive',
    selector: 'th .MuiTableSortLabel-root',
    why: "Backstage's Table (core-components, on @material-table/core) puts a focusable sort button in each sortable column header",
  },
  {
    rule: 'nested-interactive',
    selector: '[id^="viewDetail-template:"]',
    why: "the scaffolder's TemplateDetailButton (plugin-scaffolder-react TemplateCard) wraps a Link in an IconButton",
  },
  {
    rule: 'aria-valid-attr-value',
    selector: '[role="tab"][id^="react-aria"]',
    why: "the page header's tabs (@backstage/ui Tabs, react-aria) are links whose aria-controls names a tabpanel that is never rendered",
  },
  {
    rule: 'color-contrast',
    selector: 'pre > code[class*="language-"]',
    why: "Backstage's CodeSnippet (core-components; e.g. in MissingAnnotationEmptyState on the Docs tab of a product without docs) colours code with react-syntax-highlighter's palette (#219161 on white, 3.97:1)",
  },
  {
    rule: 'listitem',
    selector: '.MuiGrid-item > li',
    why: 'the search page (plugin-search/alpha SearchPage) renders its result items (li) straight into a Grid, with no list around them',
  },
  {
    rule: 'aria-progressbar-name',
    selector: '.MuiCircularProgress-root',
    why: "catalog-graph's EntityRelationsGraph (the Lineage tab) shows an unnamed CircularProgress while it loads; no Akili component uses CircularProgress",
  },
  {
    rule: 'link-name',
    selector: '[id^="viewDetail-template:"]',
    why: 'the same TemplateDetailButton: its inner Link holds only an icon, the IconButton around it has the name',
  },
];

/** A violation as printed by the check: what, where, and how to fix it. */
export interface A11yFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
  count: number;
  /** What axe found at the first element, e.g. the colours and ratio of a contrast failure. */
  detail: string;
}

/**
 * Runs axe-core on the page as it is and returns its serious and critical WCAG 2.1 A/AA
 * violations (or those of the given `rules` only), minus the listed exceptions: for each, the rule, the help text and the first
 * elements' selectors.
 */
export async function findSeriousA11yViolations(
  page: Page,
  options: { rules?: string[]; exceptions?: A11yException[] } = {},
): Promise<A11yFinding[]> {
  const { rules, exceptions = A11Y_EXCEPTIONS } = options;
  // Only the violations are detailed (the passes are not collected): faster.
  const axe = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  const results = await (rules
    ? axe.withRules(rules)
    : axe.withTags(WCAG_TAGS)
  ).analyze();
  const findings: A11yFinding[] = [];
  for (const violation of results.violations) {
    if (!FAILING_IMPACTS.includes(violation.impact ?? '')) continue;
    const waived = exceptions.filter(e => e.rule === violation.id);
    const targets: string[] = [];
    let detail = '';
    for (const node of violation.nodes) {
      // A selector per shadow root on the way (no frames in the app).
      const target = (node.target as unknown[]).flat().map(String);
      const isWaived =
        waived.length > 0 &&
        (await page.evaluate(
          ([path, within]) => {
            // A target inside a shadow root is the host's selector, then the inner one.
            let root: Document | ShadowRoot | null | undefined = document;
            let element: Element | null | undefined = null;
            for (const sel of path) {
              element = root?.querySelector(sel);
              root = element?.shadowRoot;
            }
            // Gone since axe saw it (a loading spinner that finished): axe's own selector for
            // it must then be a waived selector itself.
            if (!element) return within.includes(path[path.length - 1]);
            return within.some(w => !!element?.closest(w));
          },
          [target, waived.map(w => w.selector)] as const,
        ));
      if (isWaived) continue;
      targets.push(target.join(' >>> '));
      detail ||= [...node.any, ...node.all, ...node.none]
        .map(check => check.message)
        .join('; ');
    }
    if (targets.length === 0) continue;
    findings.push({
      rule: violation.id,
      impact: violation.impact ?? '',
      help: `${violation.help} (${violation.helpUrl})`,
      targets: targets.slice(0, 5),
      count: targets.length,
      detail,
    });
  }
  return findings;
}

/** Readable lines for a failure message or the log. */
export function describeA11yFindings(name: string, findings: A11yFinding[]) {
  return findings.map(
    f =>
      `${name}: [${f.impact}] ${f.rule}: ${f.help}; ${
        f.count
      } element(s), first: ${f.targets.join(' | ')} (${f.detail})`,
  );
}

/**
 * Fails (softly: the test goes on to the next page and fails at its end) when the page has a
 * serious or critical WCAG 2.1 A/AA violation, naming each rule and the first elements.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  name: string,
  options: { rules?: string[] } = {},
) {
  const findings = await findSeriousA11yViolations(page, options);
  const lines = describeA11yFindings(name, findings);
  // eslint-disable-next-line no-console
  lines.forEach(line => console.log(line));
  expect.soft(lines, `accessibility of ${name}`).toEqual([]);
}
