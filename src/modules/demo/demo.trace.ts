/**
 * Demo traceability: a registered site for every enterprise (a mine for miners, a plant for the
 * others) and one month of flows captured as EPCIS documents through the capture use case — an
 * ion-adsorption mine in Xunwu to a Longnan separator, to a metal maker, to the Ningbo magnet
 * maker, and out to Germany — so genealogy, mass balance and the quota ledger have something real.
 */
import type { Db } from '../../db/database.ts';
import { mintedLotUri, partyUri } from '../../domain/trace/ids.ts';
import { monthStart, previousMonth, type YearMonth } from '../../domain/trace/months.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { captureDocument, createLocation } from '../trace/trace.service.ts';
import type { DemoDataset } from './demo.dataset.ts';

type Progress = (step: string, done: number, total: number) => void;

export const DEMO_CONTEXT = ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { ytb: 'https://ns.ytterby.cn/epcis/' }];

const operator = (enterpriseId: string, username: string): Actor => ({
  userId: null, username, role: 'enterprise_operator', departmentId: null, enterpriseId, scope: { kind: 'enterprise', enterpriseId }, ip: null,
});

export async function seedLocations(db: Db, data: DemoDataset, ids: Map<string, string>, onProgress: Progress): Promise<void> {
  const actor = systemActor('demo-seed');
  const miningOre = new Map(data.designations.filter((d) => d.activity === 'mining').map((d) => [d.creditCode, d.oreKind]));
  for (const [i, e] of data.enterprises.entries()) {
    const ore = miningOre.get(e.creditCode);
    await createLocation(db, actor, ore
      ? { enterpriseId: ids.get(e.creditCode)!, siteCode: 'MINE-1', kind: 'mine', oreKind: ore, nameZh: `${e.nameZh}一号采区`, nameEn: `${e.nameEn}, mining area 1`, divisionCode: e.domicileDivisionCode }
      : { enterpriseId: ids.get(e.creditCode)!, siteCode: 'PLANT-1', kind: 'plant', nameZh: `${e.nameZh}厂区`, nameEn: `${e.nameEn}, plant`, divisionCode: e.domicileDivisionCode });
    onProgress('locations', i + 1, data.enterprises.length);
  }
}

/** The month the demo flows are dated in: last month, or this month in January (last year has no plan). */
export function demoFlowMonth(today = todayInChina()): YearMonth {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 1 ? { year: y, month: 1 } : previousMonth({ year: y, month: m });
}

export async function seedFlows(db: Db, data: DemoDataset, ids: Map<string, string>, onProgress: Progress): Promise<void> {
  const creditOf = (username: string) => data.users.find((u) => u.username === username)!.enterpriseCreditCode!;
  const mine = creditOf('xunwu-mine');
  const separator = creditOf('longnan-sep');
  const magnetMaker = creditOf('ningbo-magnet');
  const metalMaker = (data.enterprises.find((e) => e.domicileDivisionCode === '360783' && e.activities.includes('metal_smelting'))
    ?? data.enterprises.find((e) => e.activities.includes('metal_smelting')))!.creditCode;
  const { year, month } = demoFlowMonth();
  let hour = 0;
  const start = monthStart({ year, month }).getTime();
  // In January the flows fall in the current month: spread them between its start and now.
  const inCurrentMonth = todayInChina().startsWith(`${year}-${String(month).padStart(2, '0')}`);
  const at = (day: number) => inCurrentMonth
    ? new Date(start + ((Date.now() - 60_000 - start) * day) / 20).toISOString()
    : `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(8 + (hour++ % 10)).padStart(2, '0')}:00:00.000+08:00`;
  const lot = (credit: string, product: string, no: string) => mintedLotUri({ creditCode: credit, productCode: product, lotNumber: no });
  const kg = (epcClass: string, quantity: number) => ({ epcClass, quantity, uom: 'KGM' });
  const base = (day: number) => ({ eventTime: at(day), eventTimeZoneOffset: '+08:00' });
  const ship = (from: string, to: string, epcClass: string, quantity: number, day: number, invoice: string) => ({
    type: 'ObjectEvent', ...base(day), action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', quantityList: [kg(epcClass, quantity)],
    sourceList: [{ type: 'owning_party', source: partyUri(from) }], destinationList: [{ type: 'owning_party', destination: partyUri(to) }],
    bizTransactionList: [{ type: 'inv', bizTransaction: `urn:ytterby:vat:${invoice}` }],
  });
  const receive = (from: string, epcClass: string, quantity: number, day: number) => ({
    type: 'ObjectEvent', ...base(day), action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', quantityList: [kg(epcClass, quantity)],
    sourceList: [{ type: 'owning_party', source: partyUri(from) }],
  });
  const transform = (inputs: [string, number][], outputs: [string, number][], day: number) => ({
    type: 'TransformationEvent', ...base(day), bizStep: 'commissioning', disposition: 'active',
    inputQuantityList: inputs.map(([c, q]) => kg(c, q)), outputQuantityList: outputs.map(([c, q]) => kg(c, q)),
  });

  const ore1 = lot(mine, 'CONC-ION-MEDIUM-Y-EU', `XW${year}${String(month).padStart(2, '0')}-001`);
  const ore2 = lot(mine, 'CONC-ION-MEDIUM-Y-EU', `XW${year}${String(month).padStart(2, '0')}-002`);
  const prnd = lot(separator, 'OX-PRND', `LN-PRND-${year}${String(month).padStart(2, '0')}-01`);
  const yOxide = lot(separator, 'OX-Y', `LN-Y-${year}${String(month).padStart(2, '0')}-01`);
  const metal = lot(metalMaker, 'MET-PRND', `M-${year}${String(month).padStart(2, '0')}-07`);
  const magnet = lot(magnetMaker, 'MAG-NDFEB-SINTERED', `NB-${year}${String(month).padStart(2, '0')}-0042`);
  const steps: { credit: string; username: string; events: Record<string, unknown>[] }[] = [
    { credit: mine, username: 'xunwu-mine', events: [
      { type: 'ObjectEvent', ...base(2), action: 'ADD', bizStep: 'commissioning', disposition: 'active', bizLocation: { id: `https://id.ytterby.cn/loc/${mine}/MINE-1` },
        quantityList: [kg(ore1, 20000), kg(ore2, 12000)], ilmd: { 'ytb:assay': { treoPercent: '92.00', elements: { Y: '24.0', Eu: '0.9', Nd: '19.0', Pr: '5.5', Dy: '3.5', Tb: '0.6' } } } },
      ship(mine, separator, ore1, 20000, 3, '3600261130012345'),
    ] },
    { credit: separator, username: 'longnan-sep', events: [
      receive(mine, ore1, 20000, 4),
      transform([[ore1, 20000]], [[prnd, 4400], [yOxide, 4700]], 6),
      ship(separator, metalMaker, prnd, 4000, 7, '3600261130023456'),
    ] },
    { credit: metalMaker, username: 'demo-seed', events: [
      receive(separator, prnd, 4000, 8),
      transform([[prnd, 4000]], [[metal, 3300]], 10),
      ship(metalMaker, magnetMaker, metal, 3300, 11, '3600261130034567'),
    ] },
    { credit: magnetMaker, username: 'ningbo-magnet', events: [
      receive(metalMaker, metal, 3300, 13),
      transform([[metal, 3300]], [[magnet, 10000]], 15),
      { type: 'ObjectEvent', ...base(18), action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', quantityList: [kg(magnet, 6000)],
        'ytb:export': { country: 'DE', customsDeclarationNo: `3101${year}1000${String(month).padStart(2, '0')}8842` } },
    ] },
  ];
  for (const [i, step] of steps.entries()) {
    const document = { '@context': DEMO_CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList: step.events } };
    await captureDocument(db, operator(ids.get(step.credit)!, step.username), document, JSON.stringify(document));
    onProgress('product flows', i + 1, steps.length);
  }
}
