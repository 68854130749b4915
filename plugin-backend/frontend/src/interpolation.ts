// Template variable interpolation for Kiln queries. Kept apart from the
// datasource class so the rules are testable with any TemplateSrv.
import { dateMath, ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { KilnQuery } from './types';

const REGEX_META = /[.*+?^${}()|[\]\\]/g;

/**
 * How a variable's value lands in a label selector. A single value goes in as
 * it is, so `{service_name="$service"}` and a hand-typed regex both work; a
 * multi-value or All selection becomes an escaped alternation `(a|b)` for
 * `=~` matchers, with the backslashes doubled as a double-quoted selector
 * string expects.
 */
export function formatSelectorValue(value: unknown): string {
  if (!Array.isArray(value)) {
    return String(value ?? '');
  }
  if (value.length === 1) {
    return String(value[0]);
  }
  return '(' + value.map((v) => String(v).replace(REGEX_META, (m) => '\\\\' + m)).join('|') + ')';
}

/** A multi-value variable in a list field (groupBy, span IDs) yields one entry per value. */
export function formatListValue(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value ?? '');
}

function interpolateList(templateSrv: TemplateSrv, list: string[] | undefined, scopedVars: ScopedVars): string[] | undefined {
  if (!list) {
    return list;
  }
  return list
    .flatMap((entry) => templateSrv.replace(entry, scopedVars, formatListValue).split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function interpolateNumber(
  templateSrv: TemplateSrv,
  value: number | string | undefined,
  scopedVars: ScopedVars
): number | undefined {
  if (value === undefined || value === null || typeof value === 'number') {
    return value ?? undefined;
  }
  const text = templateSrv.replace(String(value), scopedVars).trim();
  if (text === '') {
    return undefined;
  }
  const n = Number(text);
  // Non-numbers go through unchanged in spirit: the backend names the field
  // and says what it expected, which is the clearest place for the error.
  return Number.isFinite(n) ? n : (text as unknown as number);
}

/**
 * The right side of a diff in epoch ms: numbers pass through, numeric text
 * (`$__from` after interpolation) is parsed, and time expressions such as
 * `now-7d` are resolved now (`to` rounds up, as Grafana's time picker does).
 */
export function resolveTime(
  templateSrv: TemplateSrv,
  value: number | string | undefined,
  scopedVars: ScopedVars,
  roundUp: boolean
): number | string | undefined {
  if (value === undefined || value === null || value === '' || typeof value === 'number') {
    return value === '' ? undefined : value ?? undefined;
  }
  const text = templateSrv.replace(String(value), scopedVars).trim();
  if (text === '') {
    return undefined;
  }
  if (/^\d+$/.test(text)) {
    return Number(text);
  }
  const parsed = dateMath.parse(text, roundUp);
  return parsed && parsed.isValid() ? parsed.valueOf() : text;
}

/** The query as the backend receives it: every variable replaced. */
export function interpolateQuery(templateSrv: TemplateSrv, query: KilnQuery, scopedVars: ScopedVars): KilnQuery {
  const text = (value: string | undefined) =>
    value === undefined ? undefined : templateSrv.replace(value, scopedVars, formatSelectorValue);
  const out: KilnQuery = {
    ...query,
    profileTypeId: templateSrv.replace(query.profileTypeId ?? '', scopedVars),
    labelSelector: text(query.labelSelector)?.trim() || '{}',
    groupBy: interpolateList(templateSrv, query.groupBy, scopedVars) ?? [],
  };
  if (query.rightLabelSelector !== undefined) {
    out.rightLabelSelector = text(query.rightLabelSelector);
  }
  if (query.functionName !== undefined) {
    out.functionName = templateSrv.replace(query.functionName, scopedVars);
  }
  if (query.spanSelector !== undefined) {
    out.spanSelector = interpolateList(templateSrv, query.spanSelector, scopedVars);
  }
  if (query.profileIdSelector !== undefined) {
    out.profileIdSelector = interpolateList(templateSrv, query.profileIdSelector, scopedVars);
  }
  for (const key of ['maxNodes', 'limit', 'heatmapBuckets'] as const) {
    if (query[key] !== undefined) {
      out[key] = interpolateNumber(templateSrv, query[key], scopedVars);
    }
  }
  if (query.rightFrom !== undefined) {
    out.rightFrom = resolveTime(templateSrv, query.rightFrom, scopedVars, false);
  }
  if (query.rightTo !== undefined) {
    out.rightTo = resolveTime(templateSrv, query.rightTo, scopedVars, true);
  }
  return out;
}
