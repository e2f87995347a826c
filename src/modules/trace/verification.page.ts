/**
 * The public verification page, rendered on the server so it opens instantly on any phone that
 * scans the QR code: zh-CN by default, English with ?lang=en or an English Accept-Language.
 */
import type { PublicLotFacts } from './verification.service.ts';

const TEXT = {
  'zh-CN': {
    title: '稀土产品追溯核验', product: '产品', producer: '生产企业', origin: '原料产地', imported: '进口来源国',
    chain: '追溯链', complete: '完整：可追溯至指标内的定点开采企业', incomplete: '不完整：部分来源未能追溯至指标内的定点企业',
    lot: '批次标识', notFound: '未找到该批次', notFoundDetail: '此标识未在全国稀土产品追溯系统中登记。', other: 'English', none: '—',
    note: '本页仅显示公开信息，不含数量与客户信息。',
  },
  en: {
    title: 'Rare earth product verification', product: 'Product', producer: 'Producer', origin: 'Origin of the ore', imported: 'Imported from',
    chain: 'Chain of custody', complete: 'Complete: traced back to designated mines within quota', incomplete: 'Incomplete: some sources are not traced to designated producers within quota',
    lot: 'Lot identifier', notFound: 'Lot not found', notFoundDetail: 'This identifier is not registered in the national rare earth traceability system.', other: '中文', none: '—',
    note: 'This page shows public facts only: no quantities, no customers.',
  },
} as const;

export type PageLanguage = keyof typeof TEXT;

export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  if (query === 'en' || query === 'zh-CN') return query;
  return acceptLanguage && /^en\b/i.test(acceptLanguage.trim()) ? 'en' : 'zh-CN';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function verificationPage(facts: PublicLotFacts | null, uri: string, lang: PageLanguage, path: string): string {
  const t = TEXT[lang];
  const other = lang === 'en' ? 'zh-CN' : 'en';
  const row = (label: string, value: string) => `<tr><th>${escape(label)}</th><td>${value}</td></tr>`;
  const body = facts
    ? `<table>
${row(t.product, escape(lang === 'en' ? facts.productNameEn : facts.productNameZh) + ` <small>${escape(facts.productCode)}</small>`)}
${row(t.producer, escape((lang === 'en' ? facts.producerNameEn : null) ?? facts.producerNameZh))}
${row(t.origin, facts.originProvinces.length ? facts.originProvinces.map((p) => escape((lang === 'en' ? p.nameEn : null) ?? p.nameZh)).join('、') : t.none)}
${facts.importCountries.length ? row(t.imported, escape(facts.importCountries.join(', '))) : ''}
${row(t.chain, `<strong class="${facts.complete ? 'ok' : 'warn'}" data-complete="${facts.complete}">${escape(facts.complete ? t.complete : t.incomplete)}</strong>`)}
${row(t.lot, `<code>${escape(facts.uri)}</code>`)}
</table>`
    : `<h2>${escape(t.notFound)}</h2><p>${escape(t.notFoundDetail)}</p><p><code>${escape(uri)}</code></p>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t.title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#1f1f1f}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #eee;vertical-align:top}th{width:8rem;color:#555;font-weight:500}
code{word-break:break-all;font-size:.8rem}.ok{color:#237804}.warn{color:#ad4e00}small{color:#888}footer{margin-top:1rem;color:#888;font-size:.8rem}</style></head>
<body><header><h1>${escape(t.title)}</h1><a href="${escape(path)}${path.includes('?') ? '&' : '?'}lang=${other}">${escape(t.other)}</a></header>
<main>${body}</main><footer>${escape(t.note)}</footer></body></html>`;
}
