import { act, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { makeDatasource } from '../test/fakes';
import { KilnVariableQuery } from './types';
import { VariableQueryEditor } from './VariableQueryEditor';

async function setup(query: KilnVariableQuery | string) {
  const { ds } = makeDatasource({ labelNames: ['pod', 'service_name'] });
  const onChange = jest.fn();
  await act(async () => {
    render(
      <VariableQueryEditor
        datasource={ds}
        query={query as KilnVariableQuery}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
  });
  return { onChange };
}

describe('VariableQueryEditor', () => {
  it('shows a text-form query as fields', async () => {
    await setup('label_values({service_name="api"}, pod)');
    expect(screen.getByRole('radio', { name: 'Label values' })).toHaveProperty('checked', true);
    expect(screen.getByText('pod')).toBeTruthy();
    expect((screen.getByLabelText('Variable label selector') as HTMLInputElement).value).toBe('{service_name="api"}');
  });

  it('switches what the variable lists', async () => {
    const { onChange } = await setup({ refId: 'v', type: 'profileTypes' });
    expect(screen.queryByLabelText('Variable label selector')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Label names' }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', type: 'labelNames' });
  });
});
