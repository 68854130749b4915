package main

// Turns script calls into pluginv2 requests, sends them and records the
// responses. Requests are filled the way Grafana fills them
// (grafana-plugin.md §2): the plugin context carries the org, plugin id,
// user and datasource settings; resource paths have no leading slash.

import (
	"context"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc/status"

	"kiln/pluginv2"
)

// defaults that Grafana would fill in when a script says nothing.
const (
	defaultPluginID = "kiln-profiling-datasource"
	defaultOrgID    = 1
)

var defaultUser = User{Login: "admin", Name: "admin", Email: "admin@localhost", Role: "Admin"}

// callRunner sends calls over the dispensed stubs.
type callRunner struct {
	stubs    *stubs
	script   *Script
	pluginID string
}

// runAll runs every call in order and returns one result per repetition.
func (r *callRunner) runAll() []CallResult {
	results := []CallResult{}
	for i := range r.script.Calls {
		results = append(results, r.runRepeated(&r.script.Calls[i])...)
	}
	return results
}

func (r *callRunner) runRepeated(c *Call) []CallResult {
	out := make([]CallResult, c.Repeat)
	if !c.Parallel {
		for rep := 0; rep < c.Repeat; rep++ {
			out[rep] = r.runOne(c, rep)
		}
		return out
	}
	var wg sync.WaitGroup
	for rep := 0; rep < c.Repeat; rep++ {
		wg.Add(1)
		go func(rep int) {
			defer wg.Done()
			out[rep] = r.runOne(c, rep)
		}(rep)
	}
	wg.Wait()
	return out
}

func (r *callRunner) runOne(c *Call, rep int) CallResult {
	res := CallResult{ID: c.ID, Kind: c.Kind, Rep: rep}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(c.TimeoutMs)*time.Millisecond)
	defer cancel()
	start := time.Now()
	var err error
	switch c.Kind {
	case kindCheckHealth:
		res.Health, err = r.checkHealth(ctx, c)
	case kindCallResource:
		res.Resource, err = r.callResource(ctx, c)
	case kindQueryData, kindRaw:
		res.QueryData, err = r.queryData(ctx, c)
	case kindCollectMetrics:
		res.Metrics, err = r.collectMetrics(ctx, c)
	case kindSleep:
		time.Sleep(time.Duration(c.Ms) * time.Millisecond)
	}
	res.Ms = msSince(start)
	if err != nil {
		st := status.Convert(err)
		res.GRPCError = &GRPCError{Code: st.Code().String(), Message: st.Message()}
	}
	return res
}

func (r *callRunner) checkHealth(ctx context.Context, c *Call) (*HealthResult, error) {
	resp, err := r.stubs.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: r.pluginContext(c),
		Headers:       c.simpleHeaders,
	})
	if err != nil {
		return nil, err
	}
	return &HealthResult{
		Status:      resp.GetStatus().String(),
		Message:     resp.GetMessage(),
		JSONDetails: string(resp.GetJsonDetails()),
	}, nil
}

func (r *callRunner) callResource(ctx context.Context, c *Call) (*ResourceResult, error) {
	url := c.Path
	if c.URL != nil {
		url = *c.URL
	}
	headers := map[string]*pluginv2.StringList{}
	for k, v := range c.resourceHeaders {
		headers[k] = &pluginv2.StringList{Values: v}
	}
	stream, err := r.stubs.resource.CallResource(ctx, &pluginv2.CallResourceRequest{
		PluginContext: r.pluginContext(c),
		Path:          c.Path,
		Method:        c.Method,
		Url:           url,
		Headers:       headers,
		Body:          c.body,
	})
	if err != nil {
		return nil, err
	}
	res := &ResourceResult{Headers: map[string][]string{}}
	var body []byte
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Keep what arrived before the failure; the error says the rest.
			finishResource(res, body)
			return res, err
		}
		if res.Messages == 0 {
			res.Code = msg.GetCode()
			for k, v := range msg.GetHeaders() {
				res.Headers[k] = append([]string{}, v.GetValues()...)
			}
		}
		res.Messages++
		body = append(body, msg.GetBody()...)
	}
	finishResource(res, body)
	return res, nil
}

func finishResource(res *ResourceResult, body []byte) {
	res.Body = string(body)
	res.BodyBase64 = encodeBase64(body)
}

func (r *callRunner) queryData(ctx context.Context, c *Call) (*QueryResult, error) {
	req := &pluginv2.QueryDataRequest{
		PluginContext: r.pluginContext(c),
		Headers:       c.simpleHeaders,
		Format:        pluginv2.DataFrameFormat(c.Format),
	}
	for _, q := range c.Queries {
		js := []byte(q.JSON)
		if q.Raw != nil {
			js = []byte(*q.Raw)
		} else if len(js) == 0 {
			js = []byte("{}")
		}
		req.Queries = append(req.Queries, &pluginv2.DataQuery{
			RefId:         q.RefID,
			QueryType:     q.QueryType,
			Json:          js,
			TimeRange:     &pluginv2.TimeRange{FromEpochMS: q.From, ToEpochMS: q.To},
			IntervalMS:    q.IntervalMs,
			MaxDataPoints: q.MaxDataPoints,
		})
	}
	resp, err := r.stubs.data.QueryData(ctx, req)
	if err != nil {
		return nil, err
	}
	res := &QueryResult{Responses: map[string]DataResponseResult{}}
	for refID, dr := range resp.GetResponses() {
		frames := []string{}
		for _, f := range dr.GetFrames() {
			frames = append(frames, encodeBase64(f))
		}
		res.Responses[refID] = DataResponseResult{
			Frames:      frames,
			Error:       dr.GetError(),
			Status:      dr.GetStatus(),
			ErrorSource: dr.GetErrorSource(),
			Format:      int32(dr.GetFormat()),
			JSONMeta:    string(dr.GetJsonMeta()),
		}
	}
	return res, nil
}

func (r *callRunner) collectMetrics(ctx context.Context, c *Call) (*MetricsResult, error) {
	resp, err := r.stubs.diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{
		PluginContext: r.pluginContext(c),
	})
	if err != nil {
		return nil, err
	}
	return &MetricsResult{
		Prometheus: string(resp.GetMetrics().GetPrometheus()),
		HasPayload: resp.GetMetrics() != nil,
	}, nil
}

// pluginContext merges the call's context and settings over the script's
// defaults and Grafana's.
func (r *callRunner) pluginContext(c *Call) *pluginv2.PluginContext {
	pc := c.PluginContext
	if pc == nil {
		pc = r.script.PluginContext
	}
	if pc == nil {
		pc = &PluginContext{}
	}
	settings := c.Settings
	if settings == nil {
		settings = r.script.Settings
	}

	out := &pluginv2.PluginContext{
		OrgId:         defaultOrgID,
		PluginId:      r.pluginID,
		GrafanaConfig: pc.GrafanaConfig,
		PluginVersion: pc.PluginVersion,
		UserAgent:     pc.UserAgent,
		ApiVersion:    pc.APIVersion,
		Namespace:     pc.Namespace,
	}
	if pc.PluginID != nil {
		out.PluginId = *pc.PluginID
	}
	if !pc.NoUser {
		u := defaultUser
		if pc.User != nil {
			u = *pc.User
		}
		out.User = &pluginv2.User{Login: u.Login, Name: u.Name, Email: u.Email, Role: u.Role}
	}
	if pc.OrgID != nil {
		out.OrgId = *pc.OrgID
	}
	if settings != nil {
		if settings.OrgID != nil {
			out.OrgId = *settings.OrgID
		}
		jsonData := []byte(settings.JSONData)
		if settings.JSONDataRaw != nil {
			jsonData = []byte(*settings.JSONDataRaw)
		} else if len(jsonData) == 0 {
			jsonData = []byte("{}")
		}
		out.DataSourceInstanceSettings = &pluginv2.DataSourceInstanceSettings{
			Id:                      settings.ID,
			Uid:                     settings.UID,
			Name:                    settings.Name,
			Url:                     settings.URL,
			User:                    settings.User,
			Database:                settings.Database,
			BasicAuthEnabled:        settings.BasicAuthEnabled,
			BasicAuthUser:           settings.BasicAuthUser,
			JsonData:                jsonData,
			DecryptedSecureJsonData: settings.Secure,
			LastUpdatedMS:           settings.LastUpdatedMS,
			ApiVersion:              settings.APIVersion,
		}
	}
	return out
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}
