import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { DataSourceSettings } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { KilnOptions, KilnSecureOptions } from './types';

type Settings = DataSourceSettings<KilnOptions, KilnSecureOptions>;

function settings(patch: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'kiln',
    orgId: 1,
    name: 'Kiln',
    type: 'kiln-profiling-datasource',
    typeName: 'Kiln',
    typeLogoUrl: '',
    access: 'proxy',
    url: 'http://127.0.0.1:4040',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...patch,
  };
}

function setup(patch: Partial<Settings> = {}) {
  const onOptionsChange = jest.fn();
  const utils = render(<ConfigEditor options={settings(patch)} onOptionsChange={onOptionsChange} />);
  return { ...utils, onOptionsChange };
}

describe('ConfigEditor', () => {
  it('asks for the server URL in server mode (the default) and for the data directory in storage mode', () => {
    const server = setup();
    expect((screen.getByLabelText('Server URL') as HTMLInputElement).value).toBe('http://127.0.0.1:4040');
    expect(screen.queryByLabelText('Storage path')).toBeNull();
    expect(screen.getByLabelText('API token')).toBeTruthy();

    fireEvent.click(screen.getByRole('radio', { name: 'Data directory' }));
    expect(server.onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ mode: 'storage' }) })
    );
    server.unmount();

    const storage = setup({ jsonData: { mode: 'storage', storagePath: '/var/lib/kiln' } });
    expect((screen.getByLabelText('Storage path') as HTMLInputElement).value).toBe('/var/lib/kiln');
    expect(screen.queryByLabelText('Server URL')).toBeNull();
    expect(screen.queryByLabelText('API token')).toBeNull();
    fireEvent.change(screen.getByLabelText('Storage path'), { target: { value: '/data/kiln' } });
    expect(storage.onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { mode: 'storage', storagePath: '/data/kiln' } })
    );
  });

  it('flags a URL that is not http(s)', () => {
    setup({ url: '127.0.0.1:4040' });
    expect(screen.getByText('Expected an http:// or https:// URL')).toBeTruthy();
  });

  it('keeps the API token in secure JSON data, never in jsonData', () => {
    const { onOptionsChange } = setup();
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 's3cret' } });
    const changed = onOptionsChange.mock.lastCall[0] as Settings;
    expect(changed.secureJsonData).toEqual({ apiToken: 's3cret' });
    expect(JSON.stringify(changed.jsonData)).not.toContain('s3cret');
  });

  it('shows a stored secret as configured and resets it', () => {
    const { onOptionsChange } = setup({ secureJsonFields: { apiToken: true } });
    const token = screen.getByLabelText('API token') as HTMLInputElement;
    expect(token.value).toBe('configured');
    expect(token.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
  });

  it('shows basic auth user and password once basic auth is on', () => {
    const off = setup();
    expect(screen.queryByLabelText('Basic auth user')).toBeNull();
    fireEvent.click(screen.getByLabelText('Basic auth'));
    expect(off.onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ basicAuth: true }));
    off.unmount();

    const on = setup({ basicAuth: true, basicAuthUser: 'grafana' });
    expect((screen.getByLabelText('Basic auth user') as HTMLInputElement).value).toBe('grafana');
    fireEvent.change(screen.getByLabelText('Basic auth password'), { target: { value: 'pw' } });
    expect(on.onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonData: { basicAuthPassword: 'pw' } })
    );
  });

  it('stores tenant, minimal step and default max nodes in jsonData', () => {
    const { onOptionsChange } = setup();
    fireEvent.change(screen.getByLabelText('Tenant'), { target: { value: 'team-a' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { tenant: 'team-a' } }));
    fireEvent.change(screen.getByLabelText('Minimal step'), { target: { value: '30s' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { minStep: '30s' } }));
    fireEvent.change(screen.getByLabelText('Default max nodes'), { target: { value: '8192' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { defaultMaxNodes: 8192 } }));
  });
});
