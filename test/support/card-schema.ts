import type * as AdaptiveCards from 'adaptivecards';
import { createRequire } from 'node:module';

// The package's ES build has extensionless imports Node cannot load; its bundled UMD build works.
const AC = createRequire(`${process.cwd()}/`)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/**
 * What the Adaptive Cards object model (the `adaptivecards` package) finds wrong with a card read
 * as version 1.5: unknown element or action types, invalid enum values, inputs without a unique
 * id, choice sets without choices. An empty list means the card parses cleanly.
 */
export function cardProblems(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  const validation = parsed.validateProperties();
  for (const event of validation.validationEvents) problems.push(event.message);
  return problems;
}

/** Teams' practical limit for a card in a message (its JSON, in bytes). */
export const CARD_MAX_BYTES = 28 * 1024;

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * Teams' chart elements as documented (Microsoft Learn, "Charts in Adaptive Cards"): the
 * properties each may carry and those of its data points. The 1.5 schema does not know them.
 */
const CHART_COMMON = ['type', 'id', 'title', 'data', 'colorSet', 'fallback', 'height', 'horizontalAlignment', 'isVisible', 'lang', 'requires', 'separator', 'spacing', 'targetWidth', 'grid.area'];
export const CHARTS: Record<string, { props: string[]; data: string[]; required: string[] }> = {
  'Chart.VerticalBar': { props: [...CHART_COMMON, 'xAxisTitle', 'yAxisTitle', 'color', 'showBarValues'], data: ['x', 'y', 'color'], required: ['x', 'y'] },
  'Chart.HorizontalBar': { props: [...CHART_COMMON, 'xAxisTitle', 'yAxisTitle', 'color', 'displayMode'], data: ['x', 'y', 'color'], required: ['x', 'y'] },
  'Chart.Donut': { props: [...CHART_COMMON, 'thickness'], data: ['legend', 'value', 'color'], required: ['legend', 'value'] },
};

/** Every chart element in a card, wherever it is nested. */
export function chartsIn(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(chartsIn);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = typeof o.type === 'string' && o.type.startsWith('Chart.') ? [o] : [];
  return [...own, ...Object.entries(o).filter(([k]) => k !== 'fallback').flatMap(([, v]) => chartsIn(v))];
}

/** What is wrong with the chart elements of a card against their documented properties. */
export function chartProblems(card: object): string[] {
  return chartsIn(card).flatMap((chart) => {
    const spec = CHARTS[chart.type as string];
    if (!spec) return [`unknown chart type ${String(chart.type)}`];
    const problems = Object.keys(chart).filter((k) => !spec.props.includes(k)).map((k) => `${String(chart.type)}: unknown property ${k}`);
    if (!Array.isArray(chart.data) || chart.data.length === 0) problems.push(`${String(chart.type)}: data must be a non-empty array`);
    for (const point of (chart.data as Record<string, unknown>[]) ?? []) {
      for (const k of Object.keys(point)) if (!spec.data.includes(k)) problems.push(`${String(chart.type)}: unknown data property ${k}`);
      for (const k of spec.required) if (point[k] === undefined) problems.push(`${String(chart.type)}: data point without ${k}`);
      const waarde = point.y ?? point.value;
      if (typeof waarde !== 'number') problems.push(`${String(chart.type)}: value ${String(waarde)} is not a number`);
    }
    if (!chart.fallback || typeof chart.fallback !== 'object') problems.push(`${String(chart.type)}: no fallback element`);
    return problems;
  });
}

/** The card as a host without charts renders it: every chart replaced by its fallback. */
export function metFallbacks(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(metFallbacks);
  if (!node || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (typeof o.type === 'string' && o.type.startsWith('Chart.')) return metFallbacks(o.fallback);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, metFallbacks(v)]));
}
