// Stand-ins for Grafana's services in unit tests.
import { DataSourceInstanceSettings, dateTime, PluginType, ScopedVars, TimeRange } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { KilnDataSource } from '../src/datasource';
import { KilnOptions } from '../src/types';

type Formatter = (value: unknown, variable: unknown) => string;

/**
 * The part of Grafana's TemplateSrv the plugin uses: $name, ${name} and
 * ${name:format}-free references, scoped variables first, a format function
 * applied to each value as Grafana does, and multi values joined with commas
 * otherwise.
 */
export class FakeTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: Record<string, string | string[]> = {}) {}

  getVariables() {
    return [];
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (target === undefined) {
      return '';
    }
    return target.replace(/\$\{([\w.]+)\}|\$([\w]+)/g, (match, braced: string, bare: string) => {
      const name = braced ?? bare;
      const scoped = scopedVars?.[name];
      const value = scoped !== undefined ? scoped.value : this.variables[name];
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        return (format as Formatter)(value, { name });
      }
      return Array.isArray(value) ? value.join(',') : String(value);
    });
  }

  containsTemplate(target?: string): boolean {
    return !!target && /\$/.test(target);
  }

  updateTimeRange(_range: TimeRange) {}
}

export function instanceSettings(jsonData: KilnOptions = {}): DataSourceInstanceSettings<KilnOptions> {
  return {
    id: 1,
    uid: 'kiln',
    type: 'kiln-profiling-datasource',
    name: 'Kiln',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'kiln-profiling-datasource',
      name: 'Kiln',
      type: PluginType.datasource,
      module: 'public/plugins/kiln-profiling-datasource/module.js',
      baseUrl: 'public/plugins/kiln-profiling-datasource',
      info: {
        author: { name: 'Kiln' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
      backend: true,
    },
  };
}

/** The resources a test's backend answers; each call is recorded. */
export interface FakeResources {
  profileTypes?: Array<{ id: string; label: string }>;
  labelNames?: string[];
  labelValues?: Record<string, string[]>;
}

export function makeDatasource(resources: FakeResources = {}, templateSrv = new FakeTemplateSrv()) {
  const ds = new KilnDataSource(instanceSettings(), templateSrv);
  const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (path: string, params?: any) => {
    switch (path) {
      case 'profileTypes':
        return resources.profileTypes ?? [];
      case 'labelNames':
        return resources.labelNames ?? [];
      case 'labelValues':
        return resources.labelValues?.[params?.label] ?? [];
    }
    throw new Error(`unexpected resource ${path}`);
  });
  return { ds, getResource };
}

export function timeRange(fromMs: number, toMs: number): TimeRange {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}
