// Dashboard variables backed by Kiln's resources: profile types, label names
// and label values (see variableQuery.ts for the query forms).
import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, map, Observable } from 'rxjs';

import type { KilnDataSource } from './datasource';
import { KilnVariableQuery } from './types';
import { VariableQueryEditor } from './VariableQueryEditor';

export class KilnVariableSupport extends CustomVariableSupport<KilnDataSource, KilnVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: KilnDataSource) {
    super();
  }

  query(request: DataQueryRequest<KilnVariableQuery>): Observable<DataQueryResponse> {
    return from(this.datasource.runVariableQuery(request.targets[0], request.range)).pipe(map((data) => ({ data })));
  }
}
