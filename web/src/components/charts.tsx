/**
 * Light SVG charts (grouped bars, lines) for the quota views, until a charting library is added.
 * Values are plain numbers; labels and tooltips come translated from the caller.
 */
import { useEffect, useRef, useState } from 'react';
import { Empty, Flex } from 'antd';

/** The pixel width of a container, followed as it resizes. */
function useContainerWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
  /** Dashed line (for reference lines such as thresholds). */
  dashed?: boolean;
}

const FONT = 11;

/** 1234567 → "123万" (zh) or "1.2M" (en): short axis labels. */
function shortNumber(n: number, lang: string): string {
  const abs = Math.abs(n);
  if (lang.startsWith('zh')) {
    if (abs >= 1e8) return `${+(n / 1e8).toFixed(1)}亿`;
    if (abs >= 1e4) return `${+(n / 1e4).toFixed(1)}万`;
    return `${+n.toFixed(1)}`;
  }
  if (abs >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return `${+n.toFixed(1)}`;
}

/** A "nice" upper bound and tick step for an axis from 0 to max. */
function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  return { top: Math.ceil(max / step) * step, step };
}

function Legend({ series }: { series: Series[] }) {
  return (
    <Flex gap={12} wrap justify="center" style={{ fontSize: 12, marginTop: 4 }}>
      {series.map((s) => (
        <Flex key={s.name} gap={4} align="center">
          <span style={{ display: 'inline-block', width: 12, height: s.dashed ? 0 : 10, borderTop: s.dashed ? `2px dashed ${s.color}` : undefined, background: s.dashed ? undefined : s.color }} />
          <span>{s.name}</span>
        </Flex>
      ))}
    </Flex>
  );
}

interface ChartProps {
  categories: string[];
  series: Series[];
  height?: number;
  lang: string;
  testId?: string;
  /** Formats a value for the tooltip. */
  format?: (v: number) => string;
  emptyText?: string;
}

const PAD = { left: 48, right: 12, top: 10, bottom: 34 };

function Axes({ width, height, top, step, lang }: { width: number; height: number; top: number; step: number; lang: string }) {
  const plotH = height - PAD.top - PAD.bottom;
  const lines = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    const y = PAD.top + plotH - (v / top) * plotH;
    lines.push(
      <g key={v}>
        <line x1={PAD.left} x2={width - PAD.right} y1={y} y2={y} stroke="#f0f0f0" />
        <text x={PAD.left - 4} y={y + 4} fontSize={FONT} textAnchor="end" fill="#8c8c8c">{shortNumber(v, lang)}</text>
      </g>,
    );
  }
  return <>{lines}<line x1={PAD.left} x2={width - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#bfbfbf" /></>;
}

/** Grouped vertical bars: one group per category, one bar per series. */
export function BarChart(props: ChartProps) {
  const [ref, available] = useContainerWidth();
  return <div ref={ref} data-testid={props.testId}>{props.categories.length === 0 || props.series.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText} /> : <Bars {...props} available={available} />}</div>;
}

function Bars({ categories, series, height = 240, lang, format = String, available }: ChartProps & { available: number }) {
  const width = Math.max(available || 480, PAD.left + PAD.right + categories.length * Math.max(28, series.length * 14 + 12));
  const max = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const { top, step } = niceScale(max);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const groupW = plotW / categories.length;
  const barW = Math.max(3, Math.min(28, (groupW - 8) / series.length));
  const rotate = groupW < 44;
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} style={{ display: 'block' }} role="img">
        <Axes width={width} height={height} top={top} step={step} lang={lang} />
        {categories.map((c, i) => {
          const x0 = PAD.left + i * groupW + (groupW - barW * series.length) / 2;
          return (
            <g key={c}>
              {series.map((s, j) => {
                const v = s.values[i] ?? 0;
                const h = (v / top) * plotH;
                return (
                  <rect key={s.name} x={x0 + j * barW} y={PAD.top + plotH - h} width={barW - 1} height={Math.max(0, h)} fill={s.color}>
                    <title>{`${c} · ${s.name}: ${format(v)}`}</title>
                  </rect>
                );
              })}
              <text
                x={PAD.left + i * groupW + groupW / 2}
                y={PAD.top + plotH + 14}
                fontSize={FONT}
                textAnchor={rotate ? 'end' : 'middle'}
                transform={rotate ? `rotate(-35 ${PAD.left + i * groupW + groupW / 2} ${PAD.top + plotH + 14})` : undefined}
                fill="#595959"
              >
                {c.length > 8 ? `${c.slice(0, 7)}…` : c}
                <title>{c}</title>
              </text>
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </div>
  );
}

/** Lines over categories (months, years); null values leave a gap. */
export function LineChart(props: ChartProps) {
  const [ref, available] = useContainerWidth();
  return <div ref={ref} data-testid={props.testId}>{props.categories.length === 0 || props.series.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText} /> : <Lines {...props} available={available} />}</div>;
}

function Lines({ categories, series, height = 240, lang, format = String, available }: ChartProps & { available: number }) {
  const width = Math.max(available || 480, PAD.left + PAD.right + categories.length * 32);
  const max = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const { top, step } = niceScale(max);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (categories.length === 1 ? plotW / 2 : (i / (categories.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} style={{ display: 'block' }} role="img">
        <Axes width={width} height={height} top={top} step={step} lang={lang} />
        {categories.map((c, i) => (
          <text key={c} x={x(i)} y={PAD.top + plotH + 14} fontSize={FONT} textAnchor="middle" fill="#595959">{c}</text>
        ))}
        {series.map((s) => {
          const segments: string[] = [];
          let current = '';
          s.values.forEach((v, i) => {
            if (v === null) {
              if (current) segments.push(current);
              current = '';
            } else current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
          });
          if (current) segments.push(current);
          return (
            <g key={s.name}>
              {segments.map((d, k) => (
                <path key={k} d={d} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '6 4' : undefined} />
              ))}
              {s.dashed ? null : s.values.map((v, i) => v === null ? null : (
                <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.color}>
                  <title>{`${categories[i]} · ${s.name}: ${format(v)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </div>
  );
}

export const CHART_COLORS = {
  allocated: '#1d4f91',
  consumed: '#fa8c16',
  mining: '#1d4f91',
  smelting: '#13a8a8',
  mining_rock_type: '#1d4f91',
  mining_ion_adsorption: '#722ed1',
  smelting_separation: '#13a8a8',
  t80: '#faad14',
  t95: '#fa541c',
  t100: '#cf1322',
} as const;
