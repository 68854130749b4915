// Dashboard variable queries. The editor stores a KilnVariableQuery object;
// hand-written dashboards may instead use the short text forms
//   profile_types()
//   label_names()                     label_names({service_name="api"})
//   label_values(pod)                 label_values({service_name="api"}, pod)
// which parseVariableQuery turns into the same object.
import { KilnVariableQuery } from './types';

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export type ParsedVariableQuery = { query: KilnVariableQuery } | { error: string };

function call(text: string, fn: string): string | undefined {
  const m = new RegExp('^' + fn + '\\s*\\(([\\s\\S]*)\\)$').exec(text);
  return m ? m[1].trim() : undefined;
}

/** A selector followed by a label name: `{a="b", c=~"d"}, pod`. */
function splitSelectorAndName(args: string): { selector: string; name: string } {
  const close = args.lastIndexOf('}');
  if (args.startsWith('{') && close > 0) {
    return { selector: args.slice(0, close + 1), name: args.slice(close + 1).replace(/^\s*,/, '').trim() };
  }
  return { selector: '', name: args };
}

export function parseVariableQuery(query: string | Partial<KilnVariableQuery> | undefined): ParsedVariableQuery {
  if (query === undefined || query === null) {
    return { query: { refId: 'variable', type: 'profileTypes' } };
  }
  if (typeof query !== 'string') {
    if (!query.type) {
      return { query: { refId: query.refId ?? 'variable', ...query, type: 'profileTypes' } };
    }
    if (query.type === 'labelValues' && !query.labelName) {
      return { error: 'a label values variable needs a label name' };
    }
    return { query: { refId: query.refId ?? 'variable', ...query } as KilnVariableQuery };
  }
  const text = query.trim();
  let args: string | undefined;
  if ((args = call(text, 'profile_types')) !== undefined) {
    return { query: { refId: 'variable', type: 'profileTypes' } };
  }
  if ((args = call(text, 'label_names')) !== undefined) {
    return { query: { refId: 'variable', type: 'labelNames', labelSelector: args || undefined } };
  }
  if ((args = call(text, 'label_values')) !== undefined) {
    const { selector, name } = splitSelectorAndName(args);
    if (!LABEL_NAME.test(name) && !/^\$\{?\w+\}?$/.test(name)) {
      return { error: `label_values(${args}): expected a label name, optionally after a {selector}` };
    }
    return { query: { refId: 'variable', type: 'labelValues', labelName: name, labelSelector: selector || undefined } };
  }
  return {
    error: `unknown variable query "${text}"; expected profile_types(), label_names([selector]) or label_values([selector,] label)`,
  };
}
