// The datasource settings page. Where the profiles come from (a kiln server's
// URL, or a kiln data directory on the Grafana host), how to authenticate, and
// query defaults. Grafana's own "Save & test" runs the backend's CheckHealth
// and shows its message.
import React from 'react';

import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { FieldSet, InlineField, InlineSwitch, Input, RadioButtonGroup, SecretInput } from '@grafana/ui';

import { DatasourceMode, KilnOptions, KilnSecureOptions } from './types';

export type Props = DataSourcePluginOptionsEditorProps<KilnOptions, KilnSecureOptions>;

const LABEL_WIDTH = 20;
const INPUT_WIDTH = 40;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData ?? {};
  const mode: DatasourceMode = jsonData.mode ?? 'server';
  const secureFields = options.secureJsonFields ?? {};
  const secureData = options.secureJsonData ?? {};

  const setJson = <K extends keyof KilnOptions>(key: K, value: KilnOptions[K]) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });

  const setSecret = (key: keyof KilnSecureOptions, value: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureData, [key]: value } });

  // A stored secret is never sent back to the browser; resetting it clears the
  // "configured" flag and sends an empty value on save.
  const resetSecret = (key: keyof KilnSecureOptions) =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureFields, [key]: false },
      secureJsonData: { ...secureData, [key]: '' },
    });

  return (
    <>
      <FieldSet label="Profiles from">
        <InlineField label="Mode" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<DatasourceMode>
            aria-label="Mode"
            options={[
              { value: 'server', label: 'Kiln server', description: 'Query a running kiln server over HTTP' },
              { value: 'storage', label: 'Data directory', description: 'Read a kiln data directory on this host' },
            ]}
            value={mode}
            onChange={(v) => setJson('mode', v)}
          />
        </InlineField>
        {mode === 'server' ? (
          <InlineField
            label="URL"
            labelWidth={LABEL_WIDTH}
            tooltip="The kiln server's HTTP address"
            invalid={!!options.url && !/^https?:\/\/[^\s]+$/.test(options.url)}
            error="Expected an http:// or https:// URL"
          >
            <Input
              id="kiln-url"
              aria-label="Server URL"
              width={INPUT_WIDTH}
              placeholder="http://127.0.0.1:4040"
              value={options.url ?? ''}
              onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value.trim() })}
            />
          </InlineField>
        ) : (
          <InlineField
            label="Data directory"
            labelWidth={LABEL_WIDTH}
            tooltip="A kiln data directory readable by the Grafana server process; it is opened read-only"
          >
            <Input
              id="kiln-storage-path"
              aria-label="Storage path"
              width={INPUT_WIDTH}
              placeholder="/var/lib/kiln"
              value={jsonData.storagePath ?? ''}
              onChange={(e) => setJson('storagePath', e.currentTarget.value)}
            />
          </InlineField>
        )}
        <InlineField
          label="Tenant"
          labelWidth={LABEL_WIDTH}
          tooltip="Sent as X-Scope-OrgID in server mode; the tenant's data in storage mode. Empty: anonymous"
        >
          <Input
            aria-label="Tenant"
            width={INPUT_WIDTH}
            placeholder="anonymous"
            value={jsonData.tenant ?? ''}
            onChange={(e) => setJson('tenant', e.currentTarget.value)}
          />
        </InlineField>
      </FieldSet>

      {mode === 'server' && (
        <FieldSet label="Authentication">
          <InlineField label="API token" labelWidth={LABEL_WIDTH} tooltip="Sent as Authorization: Bearer <token>">
            <SecretInput
              aria-label="API token"
              width={INPUT_WIDTH}
              placeholder="token"
              isConfigured={!!secureFields.apiToken}
              value={secureData.apiToken ?? ''}
              onChange={(e) => setSecret('apiToken', e.currentTarget.value)}
              onReset={() => resetSecret('apiToken')}
            />
          </InlineField>
          <InlineField label="Basic auth" labelWidth={LABEL_WIDTH}>
            <InlineSwitch
              aria-label="Basic auth"
              value={!!options.basicAuth}
              onChange={(e) => onOptionsChange({ ...options, basicAuth: e.currentTarget.checked })}
            />
          </InlineField>
          {options.basicAuth && (
            <>
              <InlineField label="User" labelWidth={LABEL_WIDTH}>
                <Input
                  aria-label="Basic auth user"
                  width={INPUT_WIDTH}
                  value={options.basicAuthUser ?? ''}
                  onChange={(e) => onOptionsChange({ ...options, basicAuthUser: e.currentTarget.value })}
                />
              </InlineField>
              <InlineField label="Password" labelWidth={LABEL_WIDTH}>
                <SecretInput
                  aria-label="Basic auth password"
                  width={INPUT_WIDTH}
                  isConfigured={!!secureFields.basicAuthPassword}
                  value={secureData.basicAuthPassword ?? ''}
                  onChange={(e) => setSecret('basicAuthPassword', e.currentTarget.value)}
                  onReset={() => resetSecret('basicAuthPassword')}
                />
              </InlineField>
            </>
          )}
        </FieldSet>
      )}

      <FieldSet label="Queries">
        <InlineField
          label="Minimal step"
          labelWidth={LABEL_WIDTH}
          tooltip="Smallest time series step, such as 15s or 1m; the step is the larger of this and the panel interval"
        >
          <Input
            aria-label="Minimal step"
            width={INPUT_WIDTH / 2}
            placeholder="15s"
            value={jsonData.minStep ?? ''}
            onChange={(e) => setJson('minStep', e.currentTarget.value.trim() || undefined)}
          />
        </InlineField>
        <InlineField label="Timeout" labelWidth={LABEL_WIDTH} tooltip="Per request to the server or store, such as 30s">
          <Input
            aria-label="Timeout"
            width={INPUT_WIDTH / 2}
            placeholder="30s"
            value={jsonData.timeout ?? ''}
            onChange={(e) => setJson('timeout', e.currentTarget.value.trim() || undefined)}
          />
        </InlineField>
        <InlineField
          label="Default max nodes"
          labelWidth={LABEL_WIDTH}
          tooltip="Flame graph size limit when a query sets none"
        >
          <Input
            aria-label="Default max nodes"
            type="number"
            width={INPUT_WIDTH / 2}
            placeholder="16384"
            value={jsonData.defaultMaxNodes ?? ''}
            onChange={(e) => {
              const n = parseInt(e.currentTarget.value, 10);
              setJson('defaultMaxNodes', Number.isFinite(n) && n > 0 ? n : undefined);
            }}
          />
        </InlineField>
      </FieldSet>
    </>
  );
}
