import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import React from 'react';

import { makeDatasource, timeRange } from '../test/fakes';
import { defaultProfileType, QueryEditor } from './QueryEditor';
import { KilnQuery } from './types';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const ALLOC = 'memory:alloc_space:bytes:space:bytes';

function setup(query: Partial<KilnQuery>, resources = {}) {
  const { ds, getResource } = makeDatasource({
    profileTypes: [
      { id: ALLOC, label: 'memory - alloc_space' },
      { id: CPU, label: 'process_cpu - cpu' },
    ],
    labelNames: ['pod', 'service_name'],
    labelValues: { service_name: ['api', 'db'] },
    ...resources,
  });
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const full: KilnQuery = { refId: 'A', profileTypeId: CPU, labelSelector: '{}', groupBy: [], ...query };
  const utils = render(
    <QueryEditor
      datasource={ds}
      query={full}
      onChange={onChange}
      onRunQuery={onRunQuery}
      range={timeRange(1_000, 2_000)}
    />
  );
  return { ...utils, ds, getResource, onChange, onRunQuery, query: full };
}

describe('QueryEditor', () => {
  it('loads the profile types and picks CPU for a new query', async () => {
    const { getResource, onChange, onRunQuery } = setup({ profileTypeId: '' });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ profileTypeId: CPU })));
    expect(getResource).toHaveBeenCalledWith('profileTypes', { start: 1000, end: 2000 });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('keeps the profile type a query already has and shows its label', async () => {
    const { onChange } = setup({ profileTypeId: ALLOC });
    await screen.findByText('memory - alloc_space');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows why profile types could not be loaded', async () => {
    const { ds } = makeDatasource();
    jest.spyOn(ds, 'getResource').mockRejectedValue({ data: { error: 'kiln server unreachable' } });
    render(
      <QueryEditor
        datasource={ds}
        query={{ refId: 'A', profileTypeId: '', labelSelector: '{}', groupBy: [] }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(await screen.findByText('kiln server unreachable')).toBeTruthy();
  });

  it('changes the query type and re-runs', async () => {
    const { onChange, onRunQuery } = setup({ queryType: 'profile' });
    fireEvent.click(screen.getByRole('radio', { name: 'Metrics' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ queryType: 'metrics', profileTypeId: CPU }));
    expect(onRunQuery).toHaveBeenCalled();
    await act(async () => {});
  });

  it('shows the right side only for diffs and stores time expressions as typed', async () => {
    const profile = setup({ queryType: 'profile' });
    expect(screen.queryByLabelText('Right label selector')).toBeNull();
    profile.unmount();

    const { onChange } = setup({ queryType: 'diff' });
    const right = screen.getByLabelText('Right label selector');
    fireEvent.change(right, { target: { value: '{service_name="api", version="v2"}' } });
    fireEvent.blur(right);
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ rightLabelSelector: '{service_name="api", version="v2"}' })
    );

    const from = screen.getByLabelText('Right from');
    fireEvent.change(from, { target: { value: 'now-7d' } });
    fireEvent.blur(from);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ rightFrom: 'now-7d' }));
    const to = screen.getByLabelText('Right to');
    fireEvent.change(to, { target: { value: '1700000000000' } });
    fireEvent.blur(to);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ rightTo: 1700000000000 }));
    await act(async () => {});
  });

  it('shows each query type its own options', async () => {
    const metrics = setup({ queryType: 'metrics' });
    expect(screen.getByLabelText('Function name')).toBeTruthy();
    expect(screen.queryByLabelText('Max nodes')).toBeNull();
    const fn = screen.getByLabelText('Function name');
    fireEvent.change(fn, { target: { value: 'runtime.mallocgc' } });
    fireEvent.blur(fn);
    expect(metrics.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ functionName: 'runtime.mallocgc' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Average' }));
    expect(metrics.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ aggregation: 'average' }));
    metrics.unmount();

    const heatmap = setup({ queryType: 'heatmap' });
    expect(screen.queryByLabelText('Function name')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Spans' }));
    expect(heatmap.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ heatmapType: 'span' }));
    const buckets = screen.getByLabelText('Heatmap buckets');
    fireEvent.change(buckets, { target: { value: '40' } });
    fireEvent.blur(buckets);
    expect(heatmap.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ heatmapBuckets: 40 }));
    heatmap.unmount();

    const span = setup({ queryType: 'span' });
    const ids = screen.getByLabelText('Span selector');
    fireEvent.change(ids, { target: { value: '9a4f1c2b3d4e5f60, ${__span.spanId}' } });
    fireEvent.blur(ids);
    expect(span.onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ spanSelector: ['9a4f1c2b3d4e5f60', '${__span.spanId}'] })
    );
    const maxNodes = screen.getByLabelText('Max nodes');
    fireEvent.change(maxNodes, { target: { value: '1024' } });
    fireEvent.blur(maxNodes);
    expect(span.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ maxNodes: 1024 }));
    await act(async () => {});
  });

  it('completes label names and then values in the selector, and commits on blur', async () => {
    const { onChange, getResource } = setup({ queryType: 'profile', labelSelector: '{}' });
    const input = screen.getByLabelText('Label selector') as HTMLInputElement;
    // Typing leaves the cursor at the end, after the brace: nothing to complete there.
    await act(async () => {
      fireEvent.change(input, { target: { value: '{serv}' } });
    });
    expect(screen.queryByRole('listbox')).toBeNull();
    await act(async () => {
      input.setSelectionRange(5, 5);
      fireEvent.click(input);
    });
    const names = screen.getByRole('listbox', { name: 'Label names' });
    expect(names.textContent).toBe('service_name');
    expect(getResource).toHaveBeenCalledWith('labelNames', { query: '{}', start: 1000, end: 2000 });

    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
    });
    expect(input.value).toBe('{service_name=""}');
    expect(input.selectionStart).toBe(15);
    const values = screen.getByRole('listbox', { name: 'Values of service_name' });
    expect(Array.from(values.querySelectorAll('[role=option]')).map((o) => o.textContent)).toEqual(['api', 'db']);
    expect(getResource).toHaveBeenCalledWith('labelValues', { label: 'service_name', query: '{}', start: 1000, end: 2000 });

    await act(async () => {
      fireEvent.mouseDown(screen.getByRole('option', { name: 'db' }));
    });
    expect(input.value).toBe('{service_name="db"}');
    expect(onChange).not.toHaveBeenCalledWith(expect.objectContaining({ labelSelector: '{service_name="db"}' }));
    fireEvent.blur(input);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ labelSelector: '{service_name="db"}' }));
  });
});

describe('defaultProfileType', () => {
  it('prefers process CPU, then any CPU type, then the first', () => {
    expect(defaultProfileType([{ id: ALLOC, label: '' }, { id: CPU, label: '' }])).toBe(CPU);
    expect(defaultProfileType([{ id: ALLOC, label: '' }, { id: 'go:cpu:ns:cpu:ns', label: '' }])).toBe(
      'go:cpu:ns:cpu:ns'
    );
    expect(defaultProfileType([{ id: ALLOC, label: '' }])).toBe(ALLOC);
    expect(defaultProfileType([])).toBeUndefined();
  });
});
