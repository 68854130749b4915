// The Kiln datasource in the browser: queries go to gpx_kiln through
// Grafana's /api/ds/query (DataSourceWithBackend); the editors and variables
// read the backend's resources (profileTypes, labelNames, labelValues).
import {
  CoreApp,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TimeRange,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { formatSelectorValue, interpolateQuery } from './interpolation';
import { DEFAULT_QUERY, KilnOptions, KilnQuery, KilnVariableQuery, ProfileTypeInfo } from './types';
import { parseVariableQuery } from './variableQuery';
import { KilnVariableSupport } from './variableSupport';

type ResourceParams = Record<string, string | number>;

export class KilnDataSource extends DataSourceWithBackend<KilnQuery, KilnOptions> {
  private readonly templateSrv: TemplateSrv;

  /** |templateSrv| defaults to Grafana's; tests pass their own. */
  constructor(instanceSettings: DataSourceInstanceSettings<KilnOptions>, templateSrv?: TemplateSrv) {
    super(instanceSettings);
    this.templateSrv = templateSrv ?? getTemplateSrv();
    this.variables = new KilnVariableSupport(this);
  }

  getDefaultQuery(_app: CoreApp): Partial<KilnQuery> {
    return DEFAULT_QUERY;
  }

  /** Targets without a profile type would only come back as errors; Grafana skips them. */
  filterQuery(query: KilnQuery): boolean {
    return !query.hide && typeof query.profileTypeId === 'string' && query.profileTypeId.trim() !== '';
  }

  applyTemplateVariables(query: KilnQuery, scopedVars: ScopedVars): KilnQuery {
    return interpolateQuery(this.templateSrv, query, scopedVars);
  }

  interpolateVariablesInQueries(queries: KilnQuery[], scopedVars: ScopedVars): KilnQuery[] {
    return queries.map((q) => ({ ...this.applyTemplateVariables(q, scopedVars), datasource: this.getRef() }));
  }

  /** A label selector with this dashboard's variables replaced, `{}` when empty. */
  interpolateSelector(selector: string | undefined, scopedVars: ScopedVars = {}): string {
    const text = this.templateSrv.replace(selector ?? '', scopedVars, formatSelectorValue).trim();
    return text === '' ? '{}' : text;
  }

  async getProfileTypes(range?: TimeRange): Promise<ProfileTypeInfo[]> {
    const types = await this.getResource<ProfileTypeInfo[]>('profileTypes', rangeParams(range));
    return Array.isArray(types) ? types : [];
  }

  async getLabelNames(selector: string | undefined, range?: TimeRange): Promise<string[]> {
    const names = await this.getResource<string[]>('labelNames', {
      query: this.interpolateSelector(selector),
      ...rangeParams(range),
    });
    return Array.isArray(names) ? names : [];
  }

  async getLabelValues(label: string, selector: string | undefined, range?: TimeRange): Promise<string[]> {
    const values = await this.getResource<string[]>('labelValues', {
      label: this.templateSrv.replace(label),
      query: this.interpolateSelector(selector),
      ...rangeParams(range),
    });
    return Array.isArray(values) ? values : [];
  }

  /** The values a dashboard variable offers (also used by the variable editor's preview). */
  async runVariableQuery(query: string | Partial<KilnVariableQuery>, range?: TimeRange): Promise<MetricFindValue[]> {
    const parsed = parseVariableQuery(query);
    if ('error' in parsed) {
      throw new Error(parsed.error);
    }
    const q = parsed.query;
    switch (q.type) {
      case 'profileTypes':
        return (await this.getProfileTypes(range)).map((t) => ({ text: t.label, value: t.id }));
      case 'labelNames':
        return (await this.getLabelNames(q.labelSelector, range)).map((n) => ({ text: n }));
      case 'labelValues':
        return (await this.getLabelValues(q.labelName ?? '', q.labelSelector, range)).map((v) => ({ text: v }));
    }
    return [];
  }

  metricFindQuery(query: string | KilnVariableQuery, options?: { range?: TimeRange }): Promise<MetricFindValue[]> {
    return this.runVariableQuery(query, options?.range);
  }
}

function rangeParams(range?: TimeRange): ResourceParams {
  if (!range) {
    return {};
  }
  return { start: range.from.valueOf(), end: range.to.valueOf() };
}
