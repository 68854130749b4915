// The query and settings models the frontend shares with gpx_kiln. Field names
// are the backend's (plugin-backend/src/plugin_query.h, datasource_settings.h);
// the Pyroscope-compatible ones keep Grafana's Pyroscope datasource spelling
// so its dashboards' targets read the same here.
import { DataQuery, DataSourceJsonData } from '@grafana/data';

export type QueryType = 'profile' | 'metrics' | 'both' | 'diff' | 'heatmap' | 'profiles' | 'span';

export const QUERY_TYPES: ReadonlyArray<{ value: QueryType; label: string; description: string }> = [
  { value: 'profile', label: 'Profile', description: 'The merged flame graph of the selection' },
  { value: 'metrics', label: 'Metrics', description: 'Time series of the total (or of one function)' },
  { value: 'both', label: 'Both', description: 'Flame graph and time series' },
  { value: 'diff', label: 'Diff', description: 'A diff flame graph: this selection against a second one' },
  { value: 'heatmap', label: 'Heatmap', description: 'Per-profile (or per-span) cost over time' },
  { value: 'profiles', label: 'Profiles', description: 'A table of individual profiles' },
  { value: 'span', label: 'Span', description: 'The profile of given span IDs' },
];

export type FunctionMode = 'self' | 'total';
export type Aggregation = 'sum' | 'average';
export type HeatmapType = 'individual' | 'span';

export interface KilnQuery extends DataQuery {
  queryType?: QueryType;
  /** e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds; targets without one are not sent. */
  profileTypeId: string;
  /** PromQL-style matchers, `{}` for all. May hold template variables. */
  labelSelector: string;
  groupBy: string[];
  maxNodes?: number;
  /** Top-N series (metrics), or rows of the profiles table. */
  limit?: number;
  /** Span IDs (16 hex digits) for span queries, e.g. `${__span.spanId}`. */
  spanSelector?: string[];
  profileIdSelector?: string[];
  /** Function metrics: the series of one function's self or total cost. */
  functionName?: string;
  functionMode?: FunctionMode;
  aggregation?: Aggregation;
  /** Diff: the right side; the left is this query's selector and time range. */
  rightLabelSelector?: string;
  /**
   * Diff: the right side's time range, epoch ms or a Grafana time expression
   * (`now-7d`, `$__from`) that the frontend resolves to ms before sending.
   */
  rightFrom?: number | string;
  rightTo?: number | string;
  heatmapBuckets?: number;
  heatmapType?: HeatmapType;
}

export const DEFAULT_QUERY: Partial<KilnQuery> = {
  queryType: 'both',
  labelSelector: '{}',
  groupBy: [],
};

export type DatasourceMode = 'server' | 'storage';

export interface KilnOptions extends DataSourceJsonData {
  mode?: DatasourceMode;
  /** Storage mode: the kiln data directory on the Grafana host. */
  storagePath?: string;
  /** Sent as X-Scope-OrgID (server) or used as the storage tenant. */
  tenant?: string;
  /** Smallest series step, a duration such as 15s. */
  minStep?: string;
  /** Per-request timeout, a duration such as 30s. */
  timeout?: string;
  defaultMaxNodes?: number;
}

export interface KilnSecureOptions {
  apiToken?: string;
  basicAuthPassword?: string;
}

export interface ProfileTypeInfo {
  id: string;
  label: string;
}

/** A dashboard variable query: what the variable lists. */
export type VariableQueryType = 'profileTypes' | 'labelNames' | 'labelValues';

export interface KilnVariableQuery extends DataQuery {
  type: VariableQueryType;
  /** labelValues: the label whose values are listed. */
  labelName?: string;
  /** labelNames/labelValues: restricts to series matching these matchers. */
  labelSelector?: string;
}
