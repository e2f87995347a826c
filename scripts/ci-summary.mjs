// Prints which suites ran (unit, PGlite, PostgreSQL, Chromium) from vitest's JSON report,
// and a closing 'N passed, N failed' line.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.ci-results.json', 'utf8'));
const tiers = { unit: [0, 0, 0], pglite: [0, 0, 0], postgres: [0, 0, 0], chromium: [0, 0, 0] };
for (const file of report.testResults) {
  const isE2e = file.name.includes('/test/e2e/');
  for (const t of file.assertionResults) {
    const title = [...t.ancestorTitles, t.title].join(' ');
    const tier = isE2e ? 'chromium' : title.includes('[postgres]') ? 'postgres' : title.includes('[pglite]') ? 'pglite' : 'unit';
    const slot = t.status === 'passed' ? 0 : t.status === 'failed' ? 1 : 2;
    tiers[tier][slot]++;
  }
}
console.log('\nsuites run:');
for (const [tier, [p, f, s]] of Object.entries(tiers)) console.log(`  ${tier.padEnd(9)} ${p} passed, ${f} failed, ${s} skipped`);
const total = Object.values(tiers).reduce((a, [p, f, s]) => [a[0] + p, a[1] + f, a[2] + s], [0, 0, 0]);
console.log(`\nall: ${total[0]} passed, ${total[1]} failed, ${total[2]} skipped`);
