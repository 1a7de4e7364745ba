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

export const A11Y_EXCEPTIONS: A11yException[] = [];

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
 * violations, minus the listed exceptions: for each, the rule, the help text and the first
 * elements' selectors.
 */
export async function findSeriousA11yViolations(
  page: Page,
  exceptions: A11yException[] = A11Y_EXCEPTIONS,
): Promise<A11yFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const findings: A11yFinding[] = [];
  for (const violation of results.violations) {
    if (!FAILING_IMPACTS.includes(violation.impact ?? '')) continue;
    const waived = exceptions.filter(e => e.rule === violation.id);
    const targets: string[] = [];
    let detail = '';
    for (const node of violation.nodes) {
      const target = node.target.map(String);
      const selector = target[target.length - 1];
      const isWaived =
        waived.length > 0 &&
        (await page.evaluate(
          ([sel, within]) => {
            const element = document.querySelector(sel);
            return within.some(w => !!element?.closest(w));
          },
          [selector, waived.map(w => w.selector)] as const,
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
export async function expectNoSeriousA11yViolations(page: Page, name: string) {
  const findings = await findSeriousA11yViolations(page);
  const lines = describeA11yFindings(name, findings);
  // eslint-disable-next-line no-console
  lines.forEach(line => console.log(line));
  expect.soft(lines, `accessibility of ${name}`).toEqual([]);
}
