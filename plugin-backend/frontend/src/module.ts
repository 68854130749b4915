// The plugin's entry point: Grafana loads module.js and reads `plugin`.
import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { KilnDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import { KilnOptions, KilnQuery, KilnSecureOptions } from './types';

export const plugin = new DataSourcePlugin<KilnDataSource, KilnQuery, KilnOptions, KilnSecureOptions>(KilnDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
