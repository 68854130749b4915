package main

// The result file: what happened at each step, as data for the test to check.
// Field names are the contract with the tests (tests/plugin_host/README.md).

import (
	"encoding/base64"
	"encoding/json"
)

// Result is the whole output file.
type Result struct {
	Handshake HandshakeResult `json:"handshake"`
	Ping      PingResult      `json:"ping"`
	Calls     []CallResult    `json:"calls"`
	Shutdown  ShutdownResult  `json:"shutdown"`
	// PluginLog holds the plugin's stderr lines as go-plugin re-logged them
	// through the host's hclog logger (one parsed JSON object per line);
	// HostLog the host-side lines (go-plugin's own messages); PluginStderr
	// the raw stderr lines, unparsed.
	PluginLog    []map[string]interface{} `json:"pluginLog"`
	HostLog      []map[string]interface{} `json:"hostLog"`
	PluginStderr []string                 `json:"pluginStderr"`
}

// HandshakeResult describes plugin start-up: process launch, the handshake
// line and version negotiation, the gRPC dial and Dispense of the plugin types.
type HandshakeResult struct {
	OK              bool    `json:"ok"`
	Ms              float64 `json:"ms"`
	ProtocolVersion int     `json:"protocolVersion"`
	Protocol        string  `json:"protocol,omitempty"`
	Network         string  `json:"network,omitempty"`
	Address         string  `json:"address,omitempty"`
	Pid             int     `json:"pid,omitempty"`
	Error           string  `json:"error,omitempty"`
}

// PingResult is go-plugin's Ping: grpc.health.v1 Check of service "plugin".
type PingResult struct {
	OK    bool    `json:"ok"`
	Ms    float64 `json:"ms"`
	Error string  `json:"error,omitempty"`
}

// GRPCError is the status of an RPC that failed as an RPC.
type GRPCError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CallResult is one call (one repetition of a repeated call).
type CallResult struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	Rep       int             `json:"rep"`
	Ms        float64         `json:"ms"`
	GRPCError *GRPCError      `json:"grpcError,omitempty"`
	Health    *HealthResult   `json:"health,omitempty"`
	Resource  *ResourceResult `json:"resource,omitempty"`
	QueryData *QueryResult    `json:"queryData,omitempty"`
	Metrics   *MetricsResult  `json:"metrics,omitempty"`
}

// HealthResult is a CheckHealthResponse; Status is the enum's name.
type HealthResult struct {
	Status      string `json:"status"`
	Message     string `json:"message"`
	JSONDetails string `json:"jsonDetails"`
}

// ResourceResult is the CallResource stream folded as Grafana forwards it:
// code and headers from the first message, bodies concatenated.
type ResourceResult struct {
	Code       int32               `json:"code"`
	Headers    map[string][]string `json:"headers"`
	Body       string              `json:"body"`
	BodyBase64 string              `json:"bodyBase64"`
	Messages   int                 `json:"messages"`
}

// QueryResult is a QueryDataResponse.
type QueryResult struct {
	Responses map[string]DataResponseResult `json:"responses"`
}

// DataResponseResult is one DataResponse; each frame is the base64 of its
// Arrow IPC file bytes.
type DataResponseResult struct {
	Frames      []string `json:"frames"`
	Error       string   `json:"error"`
	Status      int32    `json:"status"`
	ErrorSource string   `json:"errorSource"`
	Format      int32    `json:"format"`
	JSONMeta    string   `json:"jsonMeta,omitempty"`
}

// MetricsResult is a CollectMetricsResponse.
type MetricsResult struct {
	Prometheus string `json:"prometheus"`
	// HasPayload is false when the response carried no metrics message.
	HasPayload bool `json:"hasPayload"`
}

// ShutdownResult describes go-plugin's Kill(): broker close,
// GRPCController.Shutdown, connection close, then up to 2 s for the process
// to exit before SIGKILL.
type ShutdownResult struct {
	Ms float64 `json:"ms"`
	// ExitMs is the time from the start of Kill() until the process was seen
	// to have exited (-1 if it never was).
	ExitMs float64 `json:"exitMs"`
	// ExitedCleanly: the process was alive when shutdown began, then exited
	// by itself with status 0 (no signal) within go-plugin's 2 s window.
	ExitedCleanly bool `json:"exitedCleanly"`
	// Killed: go-plugin gave up waiting ("plugin failed to exit gracefully")
	// and sent SIGKILL, or the host's watchdog had to.
	Killed bool `json:"killed"`
	// ExitedBeforeShutdown: the process was already gone when shutdown began
	// (it crashed or quit during the calls).
	ExitedBeforeShutdown bool `json:"exitedBeforeShutdown"`
	// ExitCode is the process exit status (-1 when a signal ended it);
	// Signal names that signal.
	ExitCode int    `json:"exitCode"`
	Signal   string `json:"signal,omitempty"`
	// WatchdogFired: Kill() itself hung (e.g. the Shutdown RPC never
	// returned) and the host killed the process to get out.
	WatchdogFired bool `json:"watchdogFired,omitempty"`
	// KillReturned is false when even the watchdog's SIGKILLs did not
	// unblock Kill(); ExitCode is then unknown (-1).
	KillReturned bool `json:"killReturned"`
}

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func decodeBase64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// renderJSON renders v indented with a trailing newline.
func renderJSON(v interface{}) ([]byte, error) {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
