#!/usr/bin/env node
// Checks data/reference/division-names-en.csv against data/reference/divisions.csv:
// every code exists, appears once, and its English name fits the division's level and
// Chinese suffix (县 → County, 区 → District, 旗 → Banner, 自治区 → Autonomous Region …).
// Also checks that all 34 province-level rows have an English name.
// Usage: node scripts/check-division-names.mjs   (exit code 1 on any problem)
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const divisionsPath = new URL('data/reference/divisions.csv', root);
const namesPath = new URL('data/reference/division-names-en.csv', root);

/** Minimal RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function readTable(url, expectedHeader) {
  const text = readFileSync(url, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) problems.push(`${url.pathname}: starts with a BOM`);
  const [header, ...rows] = parseCsv(text);
  if (header?.join(',') !== expectedHeader) {
    problems.push(`${url.pathname}: header is "${header?.join(',')}", expected "${expectedHeader}"`);
  }
  return rows;
}

/** Which English endings fit a division, from its level and Chinese name. */
function expectedEndings(level, nameZh) {
  if (level === 'province') {
    if (nameZh.endsWith('特别行政区')) return ['Special Administrative Region'];
    if (nameZh.endsWith('自治区')) return ['Autonomous Region'];
    if (nameZh.endsWith('省')) return ['Province'];
    return ['Municipality'];
  }
  if (nameZh.endsWith('自治州')) return ['Autonomous Prefecture'];
  if (nameZh.endsWith('自治县')) return ['Autonomous County'];
  if (nameZh.endsWith('自治旗')) return ['Autonomous Banner'];
  if (nameZh.endsWith('联合旗')) return ['United Banner'];
  if (nameZh.endsWith('旗')) return ['Banner'];
  if (nameZh.endsWith('新区')) return ['New Area', 'District'];
  if (nameZh === '神农架林区') return ['Forestry District'];
  if (nameZh.endsWith('区')) return ['District'];
  if (nameZh.endsWith('县')) return ['County'];
  if (nameZh.endsWith('盟')) return ['League'];
  if (nameZh.endsWith('地区')) return ['Prefecture'];
  if (nameZh.endsWith('市')) return ['City'];
  return [];
}

const problems = [];
const divisions = new Map();
for (const [code, nameZh, level, parentCode] of readTable(divisionsPath, 'code,name_zh,level,parent_code')) {
  divisions.set(code, { nameZh, level, parentCode });
}

const seen = new Set();
const counts = { province: 0, prefecture: 0, county: 0 };
let previous = '';
const rows = readTable(namesPath, 'code,name_en');
rows.forEach((fields, index) => {
  const line = index + 2;
  if (fields.length !== 2) { problems.push(`line ${line}: expected 2 fields, found ${fields.length}`); return; }
  const [code, nameEn] = fields;
  if (!/^\d{6}$/.test(code)) { problems.push(`line ${line}: "${code}" is not a 6-digit code`); return; }
  if (code <= previous) problems.push(`line ${line}: ${code} is out of order or repeated (after ${previous})`);
  previous = code;
  if (seen.has(code)) problems.push(`line ${line}: ${code} is listed twice`);
  seen.add(code);
  const division = divisions.get(code);
  if (!division) { problems.push(`line ${line}: ${code} (${nameEn}) is not in divisions.csv`); return; }
  counts[division.level]++;
  if (!/^[A-Za-z][A-Za-z' -]*[a-z]$/.test(nameEn)) problems.push(`line ${line}: ${code} English name "${nameEn}" has unexpected characters`);
  const endings = expectedEndings(division.level, division.nameZh);
  if (endings.length > 0 && !endings.some((ending) => nameEn.endsWith(ending))) {
    problems.push(`line ${line}: ${code} ${division.nameZh} (${division.level}) is named "${nameEn}", expected it to end with ${endings.map((e) => `"${e}"`).join(' or ')}`);
  }
  if (division.level !== 'province' && division.parentCode && !seen.has(division.parentCode)) {
    problems.push(`line ${line}: ${code} ${division.nameZh} is listed without its parent ${division.parentCode}`);
  }
});

for (const [code, division] of divisions) {
  if (division.level === 'province' && !seen.has(code)) problems.push(`province-level ${code} ${division.nameZh} has no English name`);
}

console.log(`division-names-en.csv: ${rows.length} names (${counts.province} province, ${counts.prefecture} prefecture, ${counts.county} county) checked against ${divisions.size} divisions`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`  ✗ ${problem}`);
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
console.log('  ✓ every code exists in divisions.csv, appears once, in order, with a name that fits its level');
