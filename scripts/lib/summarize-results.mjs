// Adds up the Jest and Playwright JSON reports into one "N passed, N failed" line. Arguments:
// the results folder, then the names of failed steps; a failed step that no failing test
// accounts for (type check, lint, a portal that did not start) counts as one failure.
import fs from 'node:fs';
import path from 'node:path';

const [dir, ...failedSteps] = process.argv.slice(2);
const read = file => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  } catch {
    return undefined;
  }
};

const reports = {
  unit: report => ({
    passed: report.numPassedTests,
    failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  }),
  e2e: report => ({
    passed: report.stats.expected + (report.stats.flaky ?? 0),
    failed: report.stats.unexpected,
    skipped: report.stats.skipped,
  }),
};
const files = { unit: 'jest.json', e2e: 'e2e/results.json' };

let passed = 0;
let failed = 0;
let skipped = 0;
const accounted = new Set();
for (const [step, count] of Object.entries(reports)) {
  const report = read(files[step]);
  if (!report) continue;
  const c = count(report);
  passed += c.passed;
  failed += c.failed;
  skipped += c.skipped;
  if (c.failed > 0) accounted.add(step);
}
failed += failedSteps.filter(step => !accounted.has(step)).length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
