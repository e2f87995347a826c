/**
 * The genealogy of a lot as a graph in plain SVG: parents to the left, children to the right,
 * one column per generation from the root. It starts with the lot's direct parents and children
 * and grows node by node: a node's "expand upstream / downstream" asks the API again for that
 * node with depth=1 and merges the answer.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Flex, Space, Spin, Tag, Tooltip, Typography, App as AntApp } from 'antd';
import { CheckCircleOutlined, ExclamationCircleOutlined, LeftOutlined, LockOutlined, NodeExpandOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { lotNumberOf, traceApi, type Direction, type Genealogy, type GenealogyEdge, type GenealogyNode } from '../../api/trace';
import { COMPACT_TAG } from '../../components/common';
import { useDivisionNames } from '../../components/divisions';
import { localName } from '../../lib/format';
import { problemSummary } from '../../lib/problems';
import { formatKg, QuotaTag, VerifyLink } from './common';

const NODE_W = 250;
const NODE_H = 148;
const GAP_X = 200;
const GAP_Y = 28;
const PAD = 16;

interface GraphState {
  nodes: Map<string, GenealogyNode>;
  edges: Map<string, GenealogyEdge>;
  /** Nodes whose parents (children) are all on the graph: asked for with enough depth. */
  expandedUp: Set<string>;
  expandedDown: Set<string>;
}

const edgeKey = (e: GenealogyEdge) => `${e.from}→${e.to}→${e.eventId ?? ''}`;

/** Nodes within `depth − 1` steps of `from` in the answer's direction: their next generation is in the answer. */
function expandedBy(g: Genealogy, from: string, depth: number): string[] {
  const next = new Map<string, string[]>();
  for (const e of g.edges) {
    const [a, b] = g.direction === 'upstream' ? [e.to, e.from] : [e.from, e.to];
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Map<string, number>([[from, 0]]);
  const queue = [from];
  while (queue.length) {
    const u = queue.shift()!;
    const d = seen.get(u)!;
    for (const v of next.get(u) ?? []) {
      if (!seen.has(v)) {
        seen.set(v, d + 1);
        queue.push(v);
      }
    }
  }
  return [...seen].filter(([, d]) => d < depth).map(([u]) => u);
}

/** What lies within `depth` steps of `from` in the answer's direction: the answer cut down to one node's expansion. */
function beyond(g: Genealogy, from: string, depth: number): Genealogy {
  const keep = new Set(expandedBy(g, from, depth + 1));
  return { ...g, nodes: g.nodes.filter((n) => keep.has(n.uri)), edges: g.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

function merge(state: GraphState, g: Genealogy, from: string, depth: number): GraphState {
  const nodes = new Map(state.nodes);
  for (const n of g.nodes) {
    const old = nodes.get(n.uri);
    // Flags from several answers: a node has more when any answer said so (what is already drawn hides the button).
    nodes.set(n.uri, old ? { ...n, hasMoreUpstream: old.hasMoreUpstream || n.hasMoreUpstream, hasMoreDownstream: old.hasMoreDownstream || n.hasMoreDownstream } : n);
  }
  const edges = new Map(state.edges);
  for (const e of g.edges) edges.set(edgeKey(e), e);
  const done = expandedBy(g, from, depth);
  const expandedUp = new Set(state.expandedUp);
  const expandedDown = new Set(state.expandedDown);
  for (const u of done) (g.direction === 'upstream' ? expandedUp : expandedDown).add(u);
  return { nodes, edges, expandedUp, expandedDown };
}

interface Placed { node: GenealogyNode; x: number; y: number; layer: number }

/** Columns by generation from the root (breadth first, parents −1, children +1); rows ordered by their neighbours' rows. */
function layout(root: string, nodes: Map<string, GenealogyNode>, edges: GenealogyEdge[]): { placed: Map<string, Placed>; width: number; height: number } {
  const layer = new Map<string, number>([[root, 0]]);
  const queue = [root];
  while (queue.length) {
    const u = queue.shift()!;
    const l = layer.get(u)!;
    for (const e of edges) {
      const [v, lv] = e.to === u ? [e.from, l - 1] : e.from === u ? [e.to, l + 1] : [null, 0];
      if (v && nodes.has(v) && !layer.has(v)) {
        layer.set(v, lv);
        queue.push(v);
      }
    }
  }
  // Anything unreachable (should not happen) goes next to the root.
  for (const uri of nodes.keys()) if (!layer.has(uri)) layer.set(uri, 0);
  const layers = [...new Set(layer.values())].sort((a, b) => a - b);
  const byLayer = new Map<number, string[]>(layers.map((l) => [l, [...layer].filter(([, x]) => x === l).map(([u]) => u)]));
  // Order each column by the mean row of its neighbours in the column nearer the root, outwards from the root.
  const row = new Map<string, number>();
  byLayer.get(0)!.forEach((u, i) => row.set(u, i));
  const order = (l: number, towards: number) => {
    const list = byLayer.get(l);
    if (!list) return;
    const score = (u: string) => {
      const ns = edges.filter((e) => (e.from === u && layer.get(e.to) === towards) || (e.to === u && layer.get(e.from) === towards)).map((e) => row.get(e.from === u ? e.to : e.from) ?? 0);
      return ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : 0;
    };
    list.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
    list.forEach((u, i) => row.set(u, i));
  };
  for (let l = -1; byLayer.has(l); l -= 1) order(l, l + 1);
  for (let l = 1; byLayer.has(l); l += 1) order(l, l - 1);
  const tallest = Math.max(...[...byLayer.values()].map((l) => l.length));
  const height = PAD * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y;
  const minLayer = layers[0]!;
  const placed = new Map<string, Placed>();
  for (const [l, list] of byLayer) {
    const columnH = list.length * NODE_H + (list.length - 1) * GAP_Y;
    const top = (height - columnH) / 2;
    list.forEach((u, i) => placed.set(u, { node: nodes.get(u)!, layer: l, x: PAD + (l - minLayer) * (NODE_W + GAP_X), y: top + i * (NODE_H + GAP_Y) }));
  }
  const width = PAD * 2 + layers.length * NODE_W + (layers.length - 1) * GAP_X;
  return { placed, width, height };
}

function NodeCard({ p, root, canUp, canDown, busy, onExpand, provinceName, originName }: {
  p: Placed; root: boolean; canUp: boolean; canDown: boolean; busy: Direction | null;
  onExpand: (uri: string, d: Direction) => void; provinceName: string; originName: string;
}) {
  const { t, i18n } = useTranslation();
  const n = p.node;
  const origin = n.originKind === 'imported' ? `${t('trace.origin.imported')} · ${n.originCountry ?? ''}` : n.originKind === 'mined' ? `${t('trace.origin.mined')} · ${originName}` : t('trace.origin.transformed');
  const shipped = n.shipments;
  return (
    <div
      data-testid="genealogy-node" data-uri={n.uri} data-product={n.productCode} data-root={root ? 'true' : undefined}
      style={{
        width: NODE_W, height: NODE_H, boxSizing: 'border-box', border: `${root ? 2 : 1}px solid ${root ? '#1677ff' : n.redacted ? '#d9d9d9' : '#bfbfbf'}`,
        borderRadius: 6, background: n.redacted ? '#fafafa' : '#fff', padding: '6px 8px', fontSize: 12, lineHeight: '17px', position: 'relative', overflow: 'hidden',
      }}
    >
      <Flex justify="space-between" align="center" gap={4}>
        <Link to="/trace/lots/view" search={{ uri: n.uri }} style={{ fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={n.uri} data-testid="node-product">
          {localName(i18n.language, { nameZh: n.productNameZh, nameEn: n.productNameEn })}
        </Link>
        <Space size={2}>
          {n.redacted ? <Tooltip title={t('trace.redactedHelp')}><Tag icon={<LockOutlined />} style={COMPACT_TAG} data-testid="node-redacted">{t('trace.redacted')}</Tag></Tooltip> : null}
          <VerifyLink uri={n.uri} iconOnly />
        </Space>
      </Flex>
      <div style={{ color: '#8c8c8c', fontFamily: 'monospace', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={n.uri}>
        {n.productCode} · {lotNumberOf(n.uri)}
      </div>
      <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} data-testid="node-producer">
        {n.producer ? localName(i18n.language, n.producer) : t('trace.producerUnknown')}{provinceName ? ` · ${provinceName}` : ''}
      </div>
      <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} data-testid="node-origin">{origin}</div>
      {n.redacted ? (
        <Typography.Text type="secondary">{t('trace.quantitiesHidden')}</Typography.Text>
      ) : (
        <div data-testid="node-quantity">{formatKg(n.producedKg)}{n.producedReoKg ? ` · ${t('trace.reo')} ${formatKg(n.producedReoKg)}` : ''}</div>
      )}
      <Flex gap={4} align="center" wrap={false} style={{ overflow: 'hidden' }}>
        {n.quota ? (
          <Tooltip title={`${t(`quota.indicator.${n.quota.indicator}`, { defaultValue: n.quota.indicator })} · ${n.quota.year}`}>
            <span data-testid="node-quota"><QuotaTag withinQuota={n.quota.withinQuota} /> <span style={{ color: '#595959' }}>{t('trace.quotaOf', { year: n.quota.year, indicator: t(`quota.indicator.${n.quota.indicator}`, { defaultValue: n.quota.indicator }) })}</span></span>
          </Tooltip>
        ) : null}
        {shipped.length ? (
          <Tooltip title={shipped.map((s) => `${s.exportCountry ? t('trace.exportedTo', { country: s.exportCountry }) : localName(i18n.language, { nameZh: s.toNameZh ?? '', nameEn: s.toNameEn })}${s.kg && !n.redacted ? ` ${formatKg(s.kg)}` : ''} (${t(`trace.shipmentStatus.${s.status}`, { defaultValue: s.status })})`).join('；')}>
            <Tag style={COMPACT_TAG} data-testid="node-shipments">{t('trace.shipmentsN', { count: shipped.length })}</Tag>
          </Tooltip>
        ) : null}
      </Flex>
      {canUp ? (
        <Tooltip title={t('trace.expandUpstream')}>
          <Button size="small" shape="circle" icon={busy === 'upstream' ? <Spin size="small" /> : <LeftOutlined />} aria-label={t('trace.expandUpstream')}
            style={{ position: 'absolute', left: 2, bottom: 4 }} onClick={() => onExpand(n.uri, 'upstream')} disabled={!!busy} data-testid="expand-upstream" />
        </Tooltip>
      ) : null}
      {canDown ? (
        <Tooltip title={t('trace.expandDownstream')}>
          <Button size="small" shape="circle" icon={busy === 'downstream' ? <Spin size="small" /> : <RightOutlined />} aria-label={t('trace.expandDownstream')}
            style={{ position: 'absolute', right: 2, bottom: 4 }} onClick={() => onExpand(n.uri, 'downstream')} disabled={!!busy} data-testid="expand-downstream" />
        </Tooltip>
      ) : null}
    </div>
  );
}

function EdgeLabel({ e }: { e: GenealogyEdge }) {
  const { t } = useTranslation();
  if (e.parentKg === null && e.childKg === null) return <>{t('trace.quantitiesHidden')}</>;
  const kg = e.parentKg !== null && e.childKg !== null && e.parentKg !== e.childKg ? `${formatKg(e.parentKg, false)} → ${formatKg(e.childKg)}` : formatKg(e.parentKg ?? e.childKg);
  const reo = e.parentReoKg !== null && e.childReoKg !== null && e.parentReoKg !== e.childReoKg
    ? `${formatKg(e.parentReoKg, false)} → ${formatKg(e.childReoKg)}` : formatKg(e.parentReoKg ?? e.childReoKg);
  return <>{kg}{reo ? <><br />{t('trace.reo')} {reo}</> : null}</>;
}

/** Whether the root's history reaches the mine (or import) in full; the reasons where it does not. */
export function CompletenessBadge({ genealogy, loading }: { genealogy: Genealogy | undefined; loading: boolean }) {
  const { t } = useTranslation();
  if (loading || !genealogy) return <Tag icon={<Spin size="small" />} style={COMPACT_TAG}>{t('trace.completenessChecking')}</Tag>;
  if (genealogy.complete) return <Tag color="green" icon={<CheckCircleOutlined />} data-testid="genealogy-complete" data-complete="true">{t('trace.complete')}</Tag>;
  return (
    <Tooltip title={<ul style={{ margin: 0, paddingLeft: 16 }}>{genealogy.problems.map((p, i) => <li key={i}>{lotNumberOf(p.lot)}: {t(`trace.incompleteReasons.${p.reason}`, { defaultValue: p.reason })}</li>)}</ul>}>
      <Tag color="orange" icon={<ExclamationCircleOutlined />} data-testid="genealogy-complete" data-complete="false">{t('trace.incomplete', { count: genealogy.problems.length })}</Tag>
    </Tooltip>
  );
}

export function GenealogyGraph({ root }: { root: string }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [state, setState] = useState<GraphState>({ nodes: new Map(), edges: new Map(), expandedUp: new Set(), expandedDown: new Set() });
  const [busy, setBusy] = useState<{ uri: string; direction: Direction } | null>(null);
  // The first view: the root with its direct parents and children.
  const up = useQuery({ queryKey: ['trace', 'genealogy', root, 'upstream', 1], queryFn: () => traceApi.genealogy(root, 'upstream', 1) });
  const down = useQuery({ queryKey: ['trace', 'genealogy', root, 'downstream', 1], queryFn: () => traceApi.genealogy(root, 'downstream', 1) });
  // Completeness of the root is a property of its whole history, asked for in full.
  const full = useQuery({ queryKey: ['trace', 'genealogy', root, 'upstream', 30], queryFn: () => traceApi.genealogy(root, 'upstream', 30) });

  useEffect(() => {
    let s: GraphState = { nodes: new Map(), edges: new Map(), expandedUp: new Set(), expandedDown: new Set() };
    if (up.data) s = merge(s, up.data, root, 1);
    if (down.data) s = merge(s, down.data, root, 1);
    setState(s);
  }, [root, up.data, down.data]);

  /**
   * Asks for a node's next generation. The API starts only from lots the user may see; past a
   * redacted lot the same generation is asked for from the root, one step deeper than the node, and
   * cut down to what lies beyond the node.
   */
  const expand = useCallback(async (uri: string, direction: Direction, depth = 1, distance: number | null = null, redacted = false) => {
    setBusy({ uri, direction });
    const viaRoot = async () => {
      const g = await traceApi.genealogy(root, direction, Math.min(30, distance! + depth));
      setState((s) => merge(s, beyond(g, uri, depth), uri, depth));
    };
    try {
      if (redacted && distance !== null) await viaRoot();
      else {
        try {
          const g = await traceApi.genealogy(uri, direction, depth);
          setState((s) => merge(s, g, uri, depth));
        } catch (e) {
          if (isApiError(e, 404) && distance !== null) await viaRoot();
          else throw e;
        }
      }
    } catch (e) {
      message.error(problemSummary(t, e));
    } finally {
      setBusy(null);
    }
  }, [message, t, root]);

  const edges = useMemo(() => [...state.edges.values()], [state.edges]);
  const { placed, width, height } = useMemo(() => (state.nodes.has(root) ? layout(root, state.nodes, edges) : { placed: new Map<string, Placed>(), width: 0, height: 0 }), [root, state.nodes, edges]);
  const divisions = useDivisionNames([...state.nodes.values()].flatMap((n) => [n.producer?.provinceCode, n.originDivisionCode]));
  const divisionName = (code: string | null | undefined) => (code ? localName(i18n.language, divisions.get(code)) || code : '');

  const error = up.error ?? down.error;
  if (error) return <Alert type="error" showIcon title={problemSummary(t, error)} />;
  if (up.isPending || down.isPending) return <Flex justify="center" style={{ padding: 32 }}><Spin /></Flex>;

  return (
    <div data-testid="genealogy">
      <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
        <Typography.Text>{t('trace.rootCompleteness')}</Typography.Text>
        <CompletenessBadge genealogy={full.data} loading={full.isPending} />
        {full.data && !full.data.complete ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="genealogy-problems">
            {full.data.problems.map((p) => `${lotNumberOf(p.lot)}: ${t(`trace.incompleteReasons.${p.reason}`, { defaultValue: p.reason })}`).join('；')}
          </Typography.Text>
        ) : null}
        <span style={{ flex: 1 }} />
        <Button size="small" icon={<NodeExpandOutlined />} loading={busy?.uri === root && busy.direction === 'upstream'} onClick={() => void expand(root, 'upstream', 30)} data-testid="expand-all-upstream">
          {t('trace.expandAllUpstream')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>{t('trace.genealogyHelp')}</Typography.Paragraph>
      <div style={{ overflow: 'auto', border: '1px solid #f0f0f0', borderRadius: 4, background: '#fcfcfc', maxHeight: '70vh' }}>
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} style={{ display: 'block' }} data-testid="genealogy-graph" role="img" aria-label={t('trace.genealogy')}>
          <defs>
            <marker id="genealogy-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#8c8c8c" />
            </marker>
          </defs>
          {edges.map((e) => {
            const a = placed.get(e.from);
            const b = placed.get(e.to);
            if (!a || !b) return null;
            const x1 = a.x + NODE_W;
            const y1 = a.y + NODE_H / 2;
            const x2 = b.x;
            const y2 = b.y + NODE_H / 2;
            const mx = (x1 + x2) / 2;
            const my = (y1 + y2) / 2;
            return (
              <g key={edgeKey(e)} data-testid="genealogy-edge" data-from={e.from} data-to={e.to}>
                <path d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} fill="none" stroke="#8c8c8c" strokeWidth={1.5} markerEnd="url(#genealogy-arrow)" />
                <foreignObject x={mx - GAP_X / 2 + 6} y={my - 22} width={GAP_X - 12} height={44}>
                  <div style={{ fontSize: 11, lineHeight: '14px', textAlign: 'center', color: '#595959', display: 'flex', height: '100%', alignItems: 'center', justifyContent: 'center' }}>
                    <span style={{ background: 'rgba(255,255,255,0.94)', borderRadius: 3, padding: '0 3px' }} data-testid="edge-label">
                    <EdgeLabel e={e} />
                    </span>
                  </div>
                </foreignObject>
              </g>
            );
          })}
          {[...placed.values()].map((p) => (
            <foreignObject key={p.node.uri} x={p.x} y={p.y} width={NODE_W} height={NODE_H}>
              <NodeCard
                p={p} root={p.node.uri === root}
                canUp={p.node.hasMoreUpstream && !state.expandedUp.has(p.node.uri)}
                canDown={p.node.hasMoreDownstream && !state.expandedDown.has(p.node.uri)}
                busy={busy?.uri === p.node.uri ? busy.direction : null}
                onExpand={(uri, d) => {
                  // How far the node lies from the root on the side it grows to (null on the other side).
                  const distance = d === 'upstream' ? (p.layer <= 0 ? -p.layer : null) : (p.layer >= 0 ? p.layer : null);
                  void expand(uri, d, 1, distance, p.node.redacted);
                }}
                provinceName={divisionName(p.node.producer?.provinceCode)}
                originName={divisionName(p.node.originDivisionCode)}
              />
            </foreignObject>
          ))}
        </svg>
      </div>
    </div>
  );
}
