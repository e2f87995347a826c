/**
 * The registry of the reports benchmark: the demo country, the trace benchmark's 24 downstream
 * enterprises, and 131 more designated mining and separation enterprises (the demo designates
 * 33, and only designated enterprises owe implementation reports), all registered through the
 * registry services; a quota plan and an issued batch for the dataset's year; the departments
 * of every division in the reporting tree; and the actors who report, review and compile.
 *
 * The extra designated enterprises are synthetic, in real counties of the rare earth
 * prefectures, so that the reporting tree has the issue's national scale (150 or more
 * reporting enterprises) rather than the handful China really designates.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.ts';
import { queryRows } from '../src/db/database.ts';
import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../src/domain/credit-code.ts';
import type { Indicator } from '../src/domain/quota.ts';
import type { Unit } from '../src/domain/reports/hierarchy.ts';
import { systemActor, type Actor } from '../src/modules/auth/actor.ts';
import { mulberry32, pick, randomInt, type Random } from '../src/modules/demo/demo.dataset.ts';
import { addAllocation, createBatch, createPlan, eligibilityOf, issueBatch, prepareBatch } from '../src/modules/quota/quota.service.ts';
import {
  createDepartment, createDesignation, createEnterprise, divisionsByCodes, findDepartmentByCode, listEnterprises, type LicenceInput,
} from '../src/modules/registry/registry.service.ts';
import { divisions } from '../src/modules/registry/registry.tables.ts';
import { extraEnterprises } from './trace-dataset.ts';

type Progress = (step: string, done: number, total: number) => void;
type Kind = 'rock' | 'ion' | 'sep';

/** Prefecture, kind and count of the extra designated enterprises: where China's deposits and separation plants are. */
const DESIGNATED_SPECS: readonly (readonly [prefecture: string, kind: Kind, count: number])[] = [
  ['150200', 'rock', 4], ['513400', 'rock', 5], ['370800', 'rock', 3],
  ['360700', 'ion', 14], ['360800', 'ion', 5], ['361000', 'ion', 4], ['350800', 'ion', 6], ['350400', 'ion', 5],
  ['441400', 'ion', 6], ['441600', 'ion', 5], ['440200', 'ion', 4], ['441800', 'ion', 3],
  ['451400', 'ion', 5], ['451100', 'ion', 4], ['450400', 'ion', 4], ['450900', 'ion', 3],
  ['431100', 'ion', 5], ['431000', 'ion', 4], ['530900', 'ion', 4],
  ['150200', 'sep', 5], ['360700', 'sep', 8], ['350800', 'sep', 3], ['350400', 'sep', 2], ['441400', 'sep', 2], ['441600', 'sep', 2],
  ['451400', 'sep', 2], ['431100', 'sep', 2], ['511100', 'sep', 3], ['513400', 'sep', 2], ['320200', 'sep', 2], ['320400', 'sep', 2],
  ['370300', 'sep', 2], ['370800', 'sep', 1],
];

const SYLLABLES: readonly (readonly [string, string])[] = [
  ['瑞', 'Rui'], ['华', 'Hua'], ['金', 'Jin'], ['鑫', 'Xin'], ['恒', 'Heng'], ['盛', 'Sheng'], ['丰', 'Feng'], ['源', 'Yuan'],
  ['泰', 'Tai'], ['隆', 'Long'], ['安', 'An'], ['昌', 'Chang'], ['宏', 'Hong'], ['达', 'Da'], ['嘉', 'Jia'], ['正', 'Zheng'],
];

const KIND_NAMES: Record<Kind, { zh: string; en: string; capacity: readonly [number, number] }> = {
  rock: { zh: '稀土矿业有限公司', en: 'Rare Earth Mining Co., Ltd.', capacity: [2000, 8000] },
  ion: { zh: '稀土矿业有限公司', en: 'Rare Earth Mining Co., Ltd.', capacity: [300, 1500] },
  sep: { zh: '稀土冶炼分离有限公司', en: 'Rare Earth Smelting and Separation Co., Ltd.', capacity: [1500, 6000] },
};

export interface DesignatedSpec {
  creditCode: string; nameZh: string; nameEn: string; county: string; kind: Kind; capacityTonnes: number;
}

interface County { code: string; nameZh: string; prefectureCode: string | null; provinceCode: string }

function creditCodeIn(r: Random, county: string): string {
  let body = 'MA';
  while (body.length < 8) body += pick(r, [...CREDIT_CODE_ALPHABET]);
  const body17 = `91${county}${body}${organisationCodeCheckCharacter(body)}`;
  return body17 + creditCodeCheckCharacter(body17);
}

/** The extra designated enterprises, deterministic for a seed and the registry's counties. */
export function designatedSpecs(counties: readonly County[], seed = 0x7265_706f): DesignatedSpec[] {
  const r = mulberry32(seed);
  const out: DesignatedSpec[] = [];
  const codes = new Set<string>();
  let n = 0;
  for (const [prefecture, kind, count] of DESIGNATED_SPECS) {
    const within = counties.filter((c) => c.prefectureCode === prefecture).sort((a, b) => a.code.localeCompare(b.code));
    if (within.length === 0) throw new Error(`no counties under ${prefecture} in the registry`);
    for (let i = 0; i < count; i++, n++) {
      const county = pick(r, within);
      const [a, b] = [SYLLABLES[n % 16]!, SYLLABLES[Math.floor(n / 16) % 16]!];
      let creditCode = creditCodeIn(r, county.code);
      while (codes.has(creditCode)) creditCode = creditCodeIn(r, county.code);
      codes.add(creditCode);
      const spec = KIND_NAMES[kind];
      out.push({
        creditCode, county: county.code, kind, capacityTonnes: randomInt(r, spec.capacity[0] / 100, spec.capacity[1] / 100) * 100,
        nameZh: `${county.nameZh.replace(/(县|市|区)$/u, '')}${a[0]}${b[0]}${spec.zh}`, nameEn: `${a[1]}${b[1].toLowerCase()} ${spec.en}`,
      });
    }
  }
  return out;
}

function licencesFor(spec: DesignatedSpec, provinceNameZh: string): LicenceInput[] {
  const safety: LicenceInput = {
    kind: 'safety_licence', number: `${spec.kind === 'sep' ? 'WH' : 'FM'}安许证字〔2024〕${spec.creditCode.slice(10, 14)}号`,
    issuedBy: `${provinceNameZh}应急管理厅`, validFrom: '2024-01-01', validTo: '2029-12-31',
  };
  if (spec.kind === 'sep') {
    return [safety, { kind: 'pollutant_discharge_permit', number: `${spec.creditCode}001P`, issuedBy: '生态环境局', validFrom: '2023-01-01', validTo: '2030-12-31' }];
  }
  return [safety, { kind: 'mining_licence', number: `C1000002023${spec.creditCode.slice(8, 16)}`, issuedBy: '自然资源部', validFrom: '2023-01-01', validTo: '2033-12-31' }];
}

/** Registers the trace benchmark's downstream enterprises and the extra designated ones, with their designations. */
export async function registerEnterprises(db: Db, progress: Progress): Promise<DesignatedSpec[]> {
  const system = systemActor('reports-bench');
  const extras = extraEnterprises();
  for (const [i, e] of extras.entries()) {
    await createEnterprise(db, system, { ...e, activities: e.activities as Parameters<typeof createEnterprise>[2]['activities'] });
    progress('downstream enterprises', i + 1, extras.length);
  }
  const counties = await queryRows<County>(db, sql`
    select code, name_zh as "nameZh", prefecture_code as "prefectureCode", province_code as "provinceCode" from ${divisions} where level = 'county'`);
  const specs = designatedSpecs(counties);
  const provinces = await divisionsByCodes(db, [...new Set(counties.map((c) => c.provinceCode))]);
  for (const [i, spec] of specs.entries()) {
    const provinceCode = counties.find((c) => c.code === spec.county)!.provinceCode;
    const e = await createEnterprise(db, system, {
      creditCode: spec.creditCode, nameZh: spec.nameZh, nameEn: spec.nameEn, domicileDivisionCode: spec.county,
      activities: [spec.kind === 'sep' ? 'smelting_separation' : 'mining'], capacityTonnesReo: String(spec.capacityTonnes),
      licences: licencesFor(spec, provinces.get(provinceCode)!.nameZh),
    });
    await createDesignation(db, system, {
      enterpriseId: e.id, activity: spec.kind === 'sep' ? 'smelting_separation' : 'mining', oreKind: spec.kind === 'rock' ? 'rock_type' : spec.kind === 'ion' ? 'ion_adsorption' : null,
      designatedBy: 'MIIT,MNR', documentNo: '工信部联原〔2024〕15号', validFrom: '2024-03-15', validTo: '2028-12-31',
    });
    progress('designated enterprises', i + 1, specs.length);
  }
  return specs;
}

/** The dataset year's indicators (the demo's figures for the years issued without publication). */
const YEAR_LINES: readonly { indicator: Indicator; tonnes: number }[] = [
  { indicator: 'mining_rock_type', tonnes: 260_000 }, { indicator: 'mining_ion_adsorption', tonnes: 19_150 }, { indicator: 'smelting_separation', tonnes: 254_000 },
];

/**
 * An approved plan for the year and one issued batch giving 90% of each line to every eligible
 * enterprise by capacity share (eligibility as of today: designation, licences, minimum capacity).
 * Returns how many enterprises received an allocation.
 */
export async function allocateYear(db: Db, year: number, progress: Progress): Promise<number> {
  const admin = systemActor('reports-bench');
  await createPlan(db, admin, { year, basisText: 'Benchmark plan for the reports dataset year.', lines: YEAR_LINES.map((l) => ({ indicator: l.indicator, amountTonnesReo: String(l.tonnes) })) },
    { preapproved: { historical: false, approvalDocumentNo: `国函〔${year}〕bench`, approvedOn: `${year}-01-20`, note: 'benchmark figures' } });
  const all = (await listEnterprises(db, admin, { page: 1, pageSize: 1000, order: 'asc' })).items;
  const eligible = new Map<Indicator, { id: string; capacity: bigint }[]>();
  for (const [i, e] of all.entries()) {
    for (const { indicator } of YEAR_LINES) {
      const x = await eligibilityOf(db, e.id, indicator);
      if (x && x.problems.length === 0) eligible.set(indicator, [...(eligible.get(indicator) ?? []), { id: e.id, capacity: x.facts.capacityReoGrams ?? 0n }]);
    }
    progress('eligibility', i + 1, all.length);
  }
  const batch = await createBatch(db, admin, { year, name: '基准批', documentNo: `工信部联原〔${year}〕bench号` });
  const recipients = new Set<string>();
  const total = [...eligible.values()].flat().length;
  let done = 0;
  for (const { indicator, tonnes } of YEAR_LINES) {
    const members = eligible.get(indicator) ?? [];
    const capacity = members.reduce((s, m) => s + m.capacity, 0n) || 1n;
    for (const m of members) {
      const t = (BigInt(tonnes) * 9n * m.capacity) / 10n / capacity; // whole tonnes
      if (t > 0n) {
        await addAllocation(db, admin, batch.id, { enterpriseId: m.id, indicator, amountTonnesReo: t.toString(), basis: { capacity: 'capacity share' } });
        recipients.add(m.id);
      }
      progress('allocations', ++done, total);
    }
  }
  await prepareBatch(db, admin, batch.id);
  await issueBatch(db, systemActor('reports-bench-approver'), batch.id);
  return recipients.size;
}

/** An enterprise's reporter: the use cases only look at role, scope and username. */
export function enterpriseActor(enterpriseId: string, username: string): Actor {
  return { userId: null, username, role: 'enterprise_operator', departmentId: null, enterpriseId, scope: { kind: 'enterprise', enterpriseId }, ip: null };
}

/**
 * An official of each division in the reporting tree (its industry and IT department, created
 * where the demo has none), and a MIIT official for the national level.
 */
export async function departmentActors(db: Db, units: readonly Unit[], progress: Progress): Promise<Map<string, Actor>> {
  const system = systemActor('reports-bench');
  const divisionUnits = units.filter((u) => u.level !== 'enterprise' && u.level !== 'national');
  const facts = await divisionsByCodes(db, divisionUnits.map((u) => u.key));
  const actors = new Map<string, Actor>();
  for (const [i, u] of divisionUnits.entries()) {
    const d = facts.get(u.key)!;
    const level = d.level as 'province' | 'prefecture' | 'county';
    const department = await findDepartmentByCode(db, `IIT-${d.code}`) ?? await createDepartment(db, system, {
      code: `IIT-${d.code}`, nameZh: `${d.nameZh}工业和信息化局`, nameEn: `Bureau of Industry and Information Technology of ${d.nameEn ?? d.nameZh}`,
      kind: 'industry_it', level, divisionCode: d.code,
    });
    actors.set(u.key, {
      userId: null, username: `bench-official-${d.code}`, role: 'local_official', departmentId: department.id, enterpriseId: null,
      scope: { kind: 'division', level, divisionCode: d.code }, ip: null,
    });
    progress('departments', i + 1, divisionUnits.length);
  }
  const miit = (await findDepartmentByCode(db, 'MIIT'))!;
  actors.set('CN', { userId: null, username: 'bench-miit', role: 'ministry_admin', departmentId: miit.id, enterpriseId: null, scope: { kind: 'national' }, ip: null });
  return actors;
}
