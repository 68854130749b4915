import { firstValueFrom } from 'rxjs';

import { FakeTemplateSrv, makeDatasource, timeRange } from '../test/fakes';
import { formatSelectorValue } from './interpolation';
import { KilnQuery } from './types';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';

function query(patch: Partial<KilnQuery>): KilnQuery {
  return { refId: 'A', profileTypeId: CPU, labelSelector: '{}', groupBy: [], ...patch };
}

describe('applyTemplateVariables', () => {
  const templateSrv = new FakeTemplateSrv({
    service: 'api',
    pod: ['web-1', 'web.2'],
    one_pod: ['web-1'],
    groups: ['pod', 'version'],
    fn: 'main.work',
    nodes: '512',
    type: CPU,
    start: '1700000000000',
  });
  const { ds } = makeDatasource({}, templateSrv);

  it('puts single values into the selector as they are and multi values as an escaped alternation', () => {
    const out = ds.applyTemplateVariables(
      query({ labelSelector: '{service_name="$service", pod=~"$pod", alt=~"${one_pod}"}' }),
      {}
    );
    expect(out.labelSelector).toBe('{service_name="api", pod=~"(web-1|web\\\\.2)", alt=~"web-1"}');
  });

  it('expands list fields into one entry per value and interpolates the other text fields', () => {
    const out = ds.applyTemplateVariables(
      query({
        profileTypeId: '$type',
        groupBy: ['$groups', 'region'],
        functionName: '$fn',
        spanSelector: ['${__span.spanId}'],
        rightLabelSelector: '{service_name="$service", version="v2"}',
      }),
      { __span: undefined as never, '__span.spanId': { text: '', value: '9a4f1c2b3d4e5f60' } }
    );
    expect(out.profileTypeId).toBe(CPU);
    expect(out.groupBy).toEqual(['pod', 'version', 'region']);
    expect(out.functionName).toBe('main.work');
    expect(out.spanSelector).toEqual(['9a4f1c2b3d4e5f60']);
    expect(out.rightLabelSelector).toBe('{service_name="api", version="v2"}');
  });

  it('lets scoped variables of the request ($__interval) win over dashboard variables', () => {
    const out = ds.applyTemplateVariables(query({ labelSelector: '{step="$__interval", service_name="$service"}' }), {
      __interval: { text: '30s', value: '30s' },
      service: { text: 'db', value: 'db' },
    });
    expect(out.labelSelector).toBe('{step="30s", service_name="db"}');
  });

  it('turns numeric variables into numbers and resolves the right time range to epoch ms', () => {
    const before = Date.now();
    const out = ds.applyTemplateVariables(
      query({ queryType: 'diff', maxNodes: '$nodes' as unknown as number, rightFrom: 'now-7d', rightTo: '$start' }),
      {}
    );
    expect(out.maxNodes).toBe(512);
    expect(out.rightTo).toBe(1700000000000);
    const weekMs = 7 * 24 * 3600 * 1000;
    expect(out.rightFrom).toBeGreaterThanOrEqual(before - weekMs);
    expect(out.rightFrom).toBeLessThanOrEqual(Date.now() - weekMs);
  });

  it('keeps an empty selector as {} and leaves absent optional fields absent', () => {
    const out = ds.applyTemplateVariables(query({ labelSelector: '' }), {});
    expect(out.labelSelector).toBe('{}');
    expect(out).not.toHaveProperty('functionName');
    expect(out).not.toHaveProperty('rightFrom');
  });
});

describe('formatSelectorValue', () => {
  it('escapes regex characters of each value of a multi value', () => {
    expect(formatSelectorValue(['a+b', 'c'])).toBe('(a\\\\+b|c)');
    expect(formatSelectorValue('x.*')).toBe('x.*');
  });
});

describe('filterQuery', () => {
  const { ds } = makeDatasource();
  it('drops targets without a profile type and hidden ones', () => {
    expect(ds.filterQuery(query({}))).toBe(true);
    expect(ds.filterQuery(query({ profileTypeId: '' }))).toBe(false);
    expect(ds.filterQuery(query({ profileTypeId: '  ' }))).toBe(false);
    expect(ds.filterQuery({ refId: 'B' } as KilnQuery)).toBe(false);
    expect(ds.filterQuery(query({ hide: true }))).toBe(false);
  });
});

describe('resources', () => {
  const range = timeRange(1_000, 2_000);

  it('asks for profile types and labels with the range in ms and the interpolated selector', async () => {
    const { ds, getResource } = makeDatasource(
      {
        profileTypes: [{ id: CPU, label: 'process_cpu - cpu' }],
        labelNames: ['pod', 'service_name'],
        labelValues: { pod: ['web-1'] },
      },
      new FakeTemplateSrv({ service: 'api' })
    );
    await expect(ds.getProfileTypes(range)).resolves.toEqual([{ id: CPU, label: 'process_cpu - cpu' }]);
    expect(getResource).toHaveBeenLastCalledWith('profileTypes', { start: 1000, end: 2000 });

    await expect(ds.getLabelNames('{service_name="$service"}', range)).resolves.toEqual(['pod', 'service_name']);
    expect(getResource).toHaveBeenLastCalledWith('labelNames', {
      query: '{service_name="api"}',
      start: 1000,
      end: 2000,
    });

    await expect(ds.getLabelValues('pod', '')).resolves.toEqual(['web-1']);
    expect(getResource).toHaveBeenLastCalledWith('labelValues', { label: 'pod', query: '{}' });
  });

  it('answers variable queries in both the object and the text form', async () => {
    const { ds, getResource } = makeDatasource(
      { profileTypes: [{ id: CPU, label: 'cpu' }], labelNames: ['pod'], labelValues: { pod: ['a', 'b'] } },
      new FakeTemplateSrv({ service: 'api' })
    );
    await expect(ds.runVariableQuery('label_values({service_name="$service"}, pod)')).resolves.toEqual([
      { text: 'a' },
      { text: 'b' },
    ]);
    expect(getResource).toHaveBeenLastCalledWith('labelValues', { label: 'pod', query: '{service_name="api"}' });
    await expect(ds.runVariableQuery({ refId: 'v', type: 'profileTypes' })).resolves.toEqual([
      { text: 'cpu', value: CPU },
    ]);
    await expect(ds.metricFindQuery('label_names()')).resolves.toEqual([{ text: 'pod' }]);
    await expect(ds.runVariableQuery('series()')).rejects.toThrow(/unknown variable query/);

    const response = await firstValueFrom(
      (ds.variables as any).query({ targets: [{ refId: 'v', type: 'labelValues', labelName: 'pod' }], range })
    );
    expect(response).toEqual({ data: [{ text: 'a' }, { text: 'b' }] });
  });
});
