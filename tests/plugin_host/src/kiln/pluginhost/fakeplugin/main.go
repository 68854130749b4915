// fakeplugin is a pluginv2 datasource served by go-plugin's own Go server,
// used only by the host's self-test (host_test.go): every answer is derived
// from the request, so the test can check that the host sent what the script
// said and reported what came back. FAKE_MODE selects a misbehaviour:
//
//	exit-early       exit 3 before the handshake
//	ignore-shutdown  keep running after GRPCController.Shutdown (host must SIGKILL)
//	crash-on-query   exit 7 inside QueryData
//	orphan           leave a child process holding stderr open after exit
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"kiln/pluginv2"
)

var logger hclog.Logger

type server struct {
	pluginv2.UnimplementedDiagnosticsServer
	pluginv2.UnimplementedResourceServer
	pluginv2.UnimplementedDataServer
	calls int64
}

func settingsOf(pc *pluginv2.PluginContext) *pluginv2.DataSourceInstanceSettings {
	if s := pc.GetDataSourceInstanceSettings(); s != nil {
		return s
	}
	return &pluginv2.DataSourceInstanceSettings{}
}

func (s *server) CheckHealth(ctx context.Context, req *pluginv2.CheckHealthRequest) (*pluginv2.CheckHealthResponse, error) {
	atomic.AddInt64(&s.calls, 1)
	pc := req.GetPluginContext()
	ds := settingsOf(pc)
	logger.Info("check health", "uid", ds.GetUid())
	details, _ := json.Marshal(map[string]interface{}{
		"env": map[string]string{
			"grafana_plugin_type":      os.Getenv("grafana_plugin_type"),
			"PLUGIN_PROTOCOL_VERSIONS": os.Getenv("PLUGIN_PROTOCOL_VERSIONS"),
			"FAKE_ECHO":                os.Getenv("FAKE_ECHO"),
		},
		"pluginId": pc.GetPluginId(),
		"orgId":    pc.GetOrgId(),
		"user":     pc.GetUser().GetLogin(),
		"jsonData": string(ds.GetJsonData()),
		"secure":   ds.GetDecryptedSecureJsonData(),
		"url":      ds.GetUrl(),
		"headers":  req.GetHeaders(),
	})
	status := pluginv2.CheckHealthResponse_OK
	if ds.GetUrl() == "" {
		status = pluginv2.CheckHealthResponse_ERROR
	}
	return &pluginv2.CheckHealthResponse{Status: status, Message: "uid=" + ds.GetUid(), JsonDetails: details}, nil
}

func (s *server) CollectMetrics(ctx context.Context, req *pluginv2.CollectMetricsRequest) (*pluginv2.CollectMetricsResponse, error) {
	n := atomic.AddInt64(&s.calls, 1)
	text := fmt.Sprintf("fake_calls_total %d\n", n)
	return &pluginv2.CollectMetricsResponse{Metrics: &pluginv2.CollectMetricsResponse_Payload{Prometheus: []byte(text)}}, nil
}

// CallResource answers in two messages: status and headers with the first
// part of the body, then the request body echoed.
func (s *server) CallResource(req *pluginv2.CallResourceRequest, stream pluginv2.Resource_CallResourceServer) error {
	atomic.AddInt64(&s.calls, 1)
	logger.Debug("call resource", "path", req.GetPath())
	if req.GetPath() == "missing" {
		return stream.Send(&pluginv2.CallResourceResponse{Code: 404})
	}
	headers := map[string]*pluginv2.StringList{
		"X-Path": {Values: []string{req.GetPath()}},
		"X-Echo": req.GetHeaders()["X-Echo"],
	}
	first := fmt.Sprintf("%s %s|", req.GetMethod(), req.GetUrl())
	if err := stream.Send(&pluginv2.CallResourceResponse{Code: 201, Headers: headers, Body: []byte(first)}); err != nil {
		return err
	}
	return stream.Send(&pluginv2.CallResourceResponse{Body: req.GetBody()})
}

// QueryData returns, per query, one "frame" holding the query's JSON bytes
// and one holding its time range; malformed JSON gives a 400 response.
func (s *server) QueryData(ctx context.Context, req *pluginv2.QueryDataRequest) (*pluginv2.QueryDataResponse, error) {
	atomic.AddInt64(&s.calls, 1)
	if os.Getenv("FAKE_MODE") == "crash-on-query" {
		os.Exit(7)
	}
	out := &pluginv2.QueryDataResponse{Responses: map[string]*pluginv2.DataResponse{}}
	for _, q := range req.GetQueries() {
		var v interface{}
		if err := json.Unmarshal(q.GetJson(), &v); err != nil {
			logger.Warn("bad query", "refId", q.GetRefId(), "error", err.Error())
			out.Responses[q.GetRefId()] = &pluginv2.DataResponse{Error: "bad query json", Status: 400, ErrorSource: "plugin"}
			continue
		}
		tr := fmt.Sprintf("%d-%d/%d/%d/%s/%s", q.GetTimeRange().GetFromEpochMS(), q.GetTimeRange().GetToEpochMS(),
			q.GetIntervalMS(), q.GetMaxDataPoints(), q.GetQueryType(), req.GetHeaders()["X-Echo"])
		out.Responses[q.GetRefId()] = &pluginv2.DataResponse{Frames: [][]byte{q.GetJson(), []byte(tr)}, Status: 200}
	}
	return out, nil
}

// servicesPlugin registers all three services on go-plugin's gRPC server.
type servicesPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	srv *server
}

func (p *servicesPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginv2.RegisterDiagnosticsServer(s, p.srv)
	pluginv2.RegisterResourceServer(s, p.srv)
	pluginv2.RegisterDataServer(s, p.srv)
	return nil
}

func (p *servicesPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, fmt.Errorf("server only")
}

func main() {
	mode := os.Getenv("FAKE_MODE")
	if mode == "exit-early" {
		fmt.Fprintln(os.Stderr, "[ERROR] fake plugin exiting early")
		os.Exit(3)
	}
	logger = hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, JSONFormat: true, Output: os.Stderr})
	fmt.Fprintln(os.Stderr, "[WARN] a plain warning line")
	if mode == "orphan" {
		child := exec.Command("sleep", "60")
		child.Stderr = os.Stderr
		if err := child.Start(); err != nil {
			logger.Error("cannot start the orphan", "error", err.Error())
		}
	}
	srv := &server{}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion: 2, MagicCookieKey: "grafana_plugin_type", MagicCookieValue: "datasource",
		},
		VersionedPlugins: map[int]plugin.PluginSet{2: {"services": &servicesPlugin{srv: srv}}},
		GRPCServer:       plugin.DefaultGRPCServer,
		Logger:           logger,
	})
	if mode == "ignore-shutdown" {
		time.Sleep(time.Hour)
	}
}
