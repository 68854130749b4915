// The panel query editor: what to query (profile type, label selector, query
// type) and the options of the chosen query type. Field names are the
// backend's (types.ts).
import React, { useEffect, useState } from 'react';

import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, MultiSelect, RadioButtonGroup, Select } from '@grafana/ui';

import { CommitInput, parseList, parseOptionalNumber } from './CommitInput';
import type { KilnDataSource } from './datasource';
import { LabelSelectorInput } from './LabelSelectorInput';
import {
  Aggregation,
  FunctionMode,
  HeatmapType,
  KilnOptions,
  KilnQuery,
  ProfileTypeInfo,
  QUERY_TYPES,
  QueryType,
} from './types';

export type Props = QueryEditorProps<KilnDataSource, KilnQuery, KilnOptions>;

const LABEL_WIDTH = 16;

/** The type a new query starts with: CPU when the store has it. */
export function defaultProfileType(types: ProfileTypeInfo[]): string | undefined {
  const cpu =
    types.find((t) => t.id.startsWith('process_cpu:cpu:')) ?? types.find((t) => /(^|:)cpu(:|$)/.test(t.id));
  return (cpu ?? types[0])?.id;
}

export function QueryEditor(props: Props) {
  const { datasource, query, onChange, onRunQuery, range } = props;
  const queryType: QueryType = query.queryType ?? 'both';
  const [profileTypes, setProfileTypes] = useState<ProfileTypeInfo[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [labelNames, setLabelNames] = useState<string[] | undefined>();

  const update = (patch: Partial<KilnQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };

  useEffect(() => {
    let live = true;
    datasource.getProfileTypes(range).then(
      (types) => {
        if (!live) {
          return;
        }
        setProfileTypes(types);
        setLoadError(undefined);
        if (!query.profileTypeId) {
          const id = defaultProfileType(types);
          if (id) {
            update({ profileTypeId: id });
          }
        }
      },
      (err: unknown) => live && setLoadError(errorText(err))
    );
    return () => {
      live = false;
    };
    // Loaded once per datasource; the editor's own changes must not refetch.
  }, [datasource]);

  const loadLabelNames = () => {
    datasource.getLabelNames(query.labelSelector, range).then(setLabelNames, () => setLabelNames([]));
  };

  const typeOptions: Array<SelectableValue<string>> = (profileTypes ?? []).map((t) => ({ value: t.id, label: t.label }));
  if (query.profileTypeId && !typeOptions.some((o) => o.value === query.profileTypeId)) {
    typeOptions.push({ value: query.profileTypeId, label: query.profileTypeId });
  }

  const showsFlameGraph = queryType === 'profile' || queryType === 'both' || queryType === 'diff' || queryType === 'span';
  const showsSeries = queryType === 'metrics' || queryType === 'both';

  return (
    <div>
      {loadError && (
        <Alert severity="error" title="Could not load profile types">
          {loadError}
        </Alert>
      )}
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<QueryType>
            aria-label="Query type"
            options={QUERY_TYPES.map((t) => ({ value: t.value, label: t.label, description: t.description }))}
            value={queryType}
            onChange={(v) => update({ queryType: v })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Profile type" labelWidth={LABEL_WIDTH} tooltip="What was measured: CPU, allocations, ...">
          <Select<string>
            aria-label="Profile type"
            width={40}
            isLoading={profileTypes === undefined && !loadError}
            options={typeOptions}
            value={query.profileTypeId || null}
            allowCustomValue
            placeholder="Select a profile type"
            onChange={(v) => update({ profileTypeId: v?.value ?? '' })}
          />
        </InlineField>
        <InlineField
          label="Labels"
          labelWidth={10}
          grow
          tooltip='A label selector such as {service_name="api", pod=~"web-.*"}; variables such as $service work'
        >
          <LabelSelectorInput
            aria-label="Label selector"
            datasource={datasource}
            range={range}
            value={query.labelSelector ?? '{}'}
            onCommit={(v) => update({ labelSelector: v })}
          />
        </InlineField>
      </InlineFieldRow>

      {showsSeries && (
        <InlineFieldRow>
          <InlineField label="Group by" labelWidth={LABEL_WIDTH} tooltip="One series per value of these labels">
            <MultiSelect<string>
              aria-label="Group by"
              width={40}
              allowCustomValue
              isLoading={labelNames === undefined}
              onOpenMenu={loadLabelNames}
              options={(labelNames ?? []).map((n) => ({ value: n, label: n }))}
              value={query.groupBy ?? []}
              onChange={(vs) => update({ groupBy: vs.map((v) => v.value!).filter(Boolean) })}
            />
          </InlineField>
          <InlineField label="Limit" labelWidth={8} tooltip="Keep the top N series">
            <CommitInput
              aria-label="Series limit"
              type="number"
              width={10}
              value={query.limit?.toString() ?? ''}
              placeholder="all"
              onCommit={(t) => commitNumber(t, (n) => update({ limit: n }))}
            />
          </InlineField>
          <InlineField label="Aggregation" labelWidth={12}>
            <RadioButtonGroup<Aggregation>
              options={[
                { value: 'sum', label: 'Sum' },
                { value: 'average', label: 'Average' },
              ]}
              value={query.aggregation ?? 'sum'}
              onChange={(v) => update({ aggregation: v })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {showsSeries && (
        <InlineFieldRow>
          <InlineField
            label="Function"
            labelWidth={LABEL_WIDTH}
            tooltip="Chart only this function's cost (function metrics); empty charts the total"
          >
            <CommitInput
              aria-label="Function name"
              width={40}
              placeholder="e.g. runtime.mallocgc"
              value={query.functionName ?? ''}
              onCommit={(t) => update({ functionName: t.trim() || undefined })}
            />
          </InlineField>
          <InlineField label="Cost" labelWidth={8} tooltip="Self: in the function itself; total: with its callees">
            <RadioButtonGroup<FunctionMode>
              disabled={!query.functionName}
              options={[
                { value: 'total', label: 'Total' },
                { value: 'self', label: 'Self' },
              ]}
              value={query.functionMode ?? 'total'}
              onChange={(v) => update({ functionMode: v })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {queryType === 'diff' && (
        <InlineFieldRow>
          <InlineField
            label="Compare with"
            labelWidth={LABEL_WIDTH}
            grow
            tooltip="The right side's label selector; empty uses this query's selector"
          >
            <LabelSelectorInput
              aria-label="Right label selector"
              datasource={datasource}
              range={range}
              value={query.rightLabelSelector ?? ''}
              placeholder='{service_name="api", version="v2"}'
              onCommit={(v) => update({ rightLabelSelector: v.trim() || undefined })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {queryType === 'diff' && (
        <InlineFieldRow>
          <InlineField
            label="Right from"
            labelWidth={LABEL_WIDTH}
            tooltip="The right side's time range: epoch ms or now-7d style; empty uses the panel's range"
          >
            <CommitInput
              aria-label="Right from"
              width={20}
              placeholder="now-7d"
              value={query.rightFrom?.toString() ?? ''}
              onCommit={(t) => update({ rightFrom: timeValue(t) })}
            />
          </InlineField>
          <InlineField label="to" labelWidth={6}>
            <CommitInput
              aria-label="Right to"
              width={20}
              placeholder="now-6d"
              value={query.rightTo?.toString() ?? ''}
              onCommit={(t) => update({ rightTo: timeValue(t) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {queryType === 'heatmap' && (
        <InlineFieldRow>
          <InlineField label="Heatmap of" labelWidth={LABEL_WIDTH}>
            <RadioButtonGroup<HeatmapType>
              options={[
                { value: 'individual', label: 'Profiles', description: 'The cost of each profile' },
                { value: 'span', label: 'Spans', description: 'The cost of each span' },
              ]}
              value={query.heatmapType ?? 'individual'}
              onChange={(v) => update({ heatmapType: v })}
            />
          </InlineField>
          <InlineField label="Buckets" labelWidth={10} tooltip="Cost buckets on the y axis (1-1000)">
            <CommitInput
              aria-label="Heatmap buckets"
              type="number"
              width={10}
              placeholder="20"
              value={query.heatmapBuckets?.toString() ?? ''}
              onCommit={(t) => commitNumber(t, (n) => update({ heatmapBuckets: n }))}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {queryType === 'profiles' && (
        <InlineFieldRow>
          <InlineField label="Rows" labelWidth={LABEL_WIDTH} tooltip="The most expensive N profiles">
            <CommitInput
              aria-label="Profiles limit"
              type="number"
              width={10}
              placeholder="100"
              value={query.limit?.toString() ?? ''}
              onCommit={(t) => commitNumber(t, (n) => update({ limit: n }))}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {(queryType === 'span' || queryType === 'profile' || queryType === 'both') && (
        <InlineFieldRow>
          <InlineField
            label="Span IDs"
            labelWidth={LABEL_WIDTH}
            grow
            tooltip="Only samples of these spans (16 hex digits each), e.g. ${__span.spanId} from a trace link"
          >
            <CommitInput
              aria-label="Span selector"
              placeholder={queryType === 'span' ? 'required, e.g. 9a4f1c2b3d4e5f60' : 'all spans'}
              value={(query.spanSelector ?? []).join(', ')}
              onCommit={(t) => {
                const ids = parseList(t);
                update({ spanSelector: ids.length ? ids : undefined });
              }}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {showsFlameGraph && (
        <InlineFieldRow>
          <InlineField
            label="Max nodes"
            labelWidth={LABEL_WIDTH}
            tooltip="Flame graph size limit; smaller nodes are merged. Empty: the datasource default"
          >
            <CommitInput
              aria-label="Max nodes"
              type="number"
              width={12}
              placeholder="default"
              value={query.maxNodes?.toString() ?? ''}
              onCommit={(t) => commitNumber(t, (n) => update({ maxNodes: n }))}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </div>
  );
}

function commitNumber(text: string, set: (n: number | undefined) => void) {
  const n = parseOptionalNumber(text);
  if (n !== null) {
    set(n);
  }
}

/** Numbers stay numbers (epoch ms); anything else is a time expression for the frontend to resolve. */
function timeValue(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  return /^\d+$/.test(t) ? Number(t) : t;
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { data?: { error?: string; message?: string }; message?: string; statusText?: string };
    return e.data?.error ?? e.data?.message ?? e.message ?? e.statusText ?? String(err);
  }
  return String(err);
}
