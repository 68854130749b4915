// The editor of a dashboard variable backed by Kiln: profile types, label
// names, or the values of one label (optionally under a selector).
import React, { useEffect, useState } from 'react';

import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, RadioButtonGroup, Select } from '@grafana/ui';

import { CommitInput } from './CommitInput';
import type { KilnDataSource } from './datasource';
import { KilnOptions, KilnQuery, KilnVariableQuery, VariableQueryType } from './types';
import { parseVariableQuery } from './variableQuery';

export type Props = QueryEditorProps<KilnDataSource, KilnQuery, KilnOptions, KilnVariableQuery>;

export function VariableQueryEditor({ datasource, query, onChange, range }: Props) {
  // Dashboards may hold the text form (label_values(pod)); show it as fields.
  const parsed = parseVariableQuery(query as KilnVariableQuery | string | undefined);
  const current: KilnVariableQuery = 'query' in parsed ? parsed.query : { refId: 'variable', type: 'labelValues' };
  const [labelNames, setLabelNames] = useState<string[] | undefined>();

  const update = (patch: Partial<KilnVariableQuery>) => {
    const next = { ...current, ...patch };
    onChange(next);
  };

  useEffect(() => {
    if (current.type !== 'labelValues') {
      return;
    }
    let live = true;
    datasource.getLabelNames(current.labelSelector, range).then(
      (names) => live && setLabelNames(names),
      () => live && setLabelNames([])
    );
    return () => {
      live = false;
    };
  }, [datasource, current.type, current.labelSelector, range]);

  const names = labelNames ?? [];
  const nameOptions = names.map((n) => ({ value: n, label: n }));
  if (current.labelName && !names.includes(current.labelName)) {
    nameOptions.push({ value: current.labelName, label: current.labelName });
  }

  return (
    <>
      <InlineFieldRow>
        <InlineField label="List" labelWidth={16}>
          <RadioButtonGroup<VariableQueryType>
            aria-label="Variable lists"
            options={[
              { value: 'profileTypes', label: 'Profile types' },
              { value: 'labelNames', label: 'Label names' },
              { value: 'labelValues', label: 'Label values' },
            ]}
            value={current.type}
            onChange={(type) => update({ type })}
          />
        </InlineField>
      </InlineFieldRow>
      {current.type === 'labelValues' && (
        <InlineFieldRow>
          <InlineField label="Label" labelWidth={16}>
            <Select<string>
              aria-label="Label name"
              width={30}
              allowCustomValue
              isLoading={labelNames === undefined}
              options={nameOptions}
              value={current.labelName ?? null}
              onChange={(v) => update({ labelName: v?.value })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {current.type !== 'profileTypes' && (
        <InlineFieldRow>
          <InlineField
            label="Selector"
            labelWidth={16}
            grow
            tooltip='Only series matching this selector, e.g. {service_name="$service"}'
          >
            <CommitInput
              aria-label="Variable label selector"
              placeholder="{}"
              value={current.labelSelector ?? ''}
              onCommit={(t) => update({ labelSelector: t.trim() || undefined })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </>
  );
}
