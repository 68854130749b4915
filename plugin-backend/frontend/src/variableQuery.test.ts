import { parseVariableQuery } from './variableQuery';

describe('parseVariableQuery', () => {
  it('reads the text forms', () => {
    expect(parseVariableQuery('profile_types()')).toEqual({ query: { refId: 'variable', type: 'profileTypes' } });
    expect(parseVariableQuery('label_names()')).toMatchObject({ query: { type: 'labelNames', labelSelector: undefined } });
    expect(parseVariableQuery('label_names({a="b"})')).toMatchObject({
      query: { type: 'labelNames', labelSelector: '{a="b"}' },
    });
    expect(parseVariableQuery(' label_values(pod) ')).toMatchObject({
      query: { type: 'labelValues', labelName: 'pod', labelSelector: undefined },
    });
    expect(parseVariableQuery('label_values({service_name="api", x=~"a,b"}, pod)')).toMatchObject({
      query: { type: 'labelValues', labelName: 'pod', labelSelector: '{service_name="api", x=~"a,b"}' },
    });
  });

  it('says what is wrong with a bad query', () => {
    expect(parseVariableQuery('label_values()')).toHaveProperty('error');
    expect(parseVariableQuery('values(pod)')).toEqual({
      error: expect.stringContaining('unknown variable query "values(pod)"'),
    });
    expect(parseVariableQuery({ refId: 'v', type: 'labelValues' })).toEqual({
      error: 'a label values variable needs a label name',
    });
  });

  it('passes editor objects through and defaults an empty one to profile types', () => {
    expect(parseVariableQuery({ refId: 'v', type: 'labelNames', labelSelector: '{}' })).toEqual({
      query: { refId: 'v', type: 'labelNames', labelSelector: '{}' },
    });
    expect(parseVariableQuery(undefined)).toEqual({ query: { refId: 'variable', type: 'profileTypes' } });
  });
});
