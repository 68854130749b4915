package main

// Self-test of the host against fakeplugin, a pluginv2 server built on
// go-plugin's own Go Serve (the reference implementation of the plugin side).
// Run in the build's GOPATH: GO111MODULE=off GOPATH=<outdir>:/usr/share/gocode
// go test kiln/pluginhost

import (
	"encoding/base64"
	"encoding/json"
	"io/ioutil"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var fakePlugin string

func TestMain(m *testing.M) {
	dir, err := ioutil.TempDir("", "pluginhost-test")
	if err != nil {
		panic(err)
	}
	fakePlugin = filepath.Join(dir, "gpx_fake_linux_amd64")
	build := exec.Command("go", "build", "-o", fakePlugin, "kiln/pluginhost/fakeplugin")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("building fakeplugin: " + err.Error())
	}
	if err := becomeSubreaper(); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func mustParse(t *testing.T, text string) *Script {
	t.Helper()
	s, err := ParseScript([]byte(text))
	if err != nil {
		t.Fatalf("ParseScript: %v", err)
	}
	return s
}

func runFake(t *testing.T, text string) *Result {
	t.Helper()
	return Run(Options{
		PluginPath: fakePlugin, PluginID: defaultPluginID,
		StartTimeout: 10 * time.Second, KillWatchdog: 10 * time.Second,
	}, mustParse(t, text))
}

func b64(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64 %q: %v", s, err)
	}
	return string(b)
}

const fullScript = `{
  "env": {"FAKE_ECHO": "hello"},
  "settings": {"uid": "kiln", "name": "Kiln", "url": "http://127.0.0.1:4040",
               "jsonData": {"minStep": "15s"}, "secure": {"apiToken": "s3cret"}, "orgId": 7},
  "calls": [
    {"id": "health", "kind": "checkHealth", "headers": {"X-Echo": "h"}},
    {"id": "health-nourl", "kind": "checkHealth", "settings": {"uid": "other"}},
    {"id": "res", "kind": "callResource", "path": "labelNames", "method": "POST",
     "url": "labelNames?query=x", "headers": {"X-Echo": ["a", "b"]}, "body": "payload"},
    {"id": "res404", "kind": "callResource", "path": "missing"},
    {"id": "q", "kind": "queryData", "headers": {"X-Echo": "qh"},
     "queries": [{"refId": "A", "queryType": "profile", "json": {"profileTypeId": "cpu"},
                  "from": 1000, "to": 2000, "intervalMs": 15000, "maxDataPoints": 800}]},
    {"id": "bad", "kind": "raw", "queries": [{"refId": "B", "raw": "{not json"}]},
    {"id": "load", "kind": "collectMetrics", "repeat": 20, "parallel": true},
    {"id": "pause", "kind": "sleep", "ms": 5}
  ]
}`

func TestFullScript(t *testing.T) {
	res := runFake(t, fullScript)
	if !res.Handshake.OK || res.Handshake.ProtocolVersion != 2 || res.Handshake.Protocol != "grpc" {
		t.Fatalf("handshake: %+v", res.Handshake)
	}
	if res.Handshake.Network != "unix" || res.Handshake.Pid == 0 {
		t.Errorf("handshake address/pid: %+v", res.Handshake)
	}
	if !res.Ping.OK {
		t.Errorf("ping: %+v", res.Ping)
	}
	if got, want := len(res.Calls), 7+20; got != want {
		t.Fatalf("%d call results, want %d", got, want)
	}
	byID := map[string]CallResult{}
	for _, c := range res.Calls {
		if c.GRPCError != nil {
			t.Errorf("call %s rep %d: grpc error %+v", c.ID, c.Rep, c.GRPCError)
		}
		byID[c.ID] = c
	}

	h := byID["health"].Health
	if h == nil || h.Status != "OK" || h.Message != "uid=kiln" {
		t.Fatalf("health: %+v", h)
	}
	var details struct {
		Env      map[string]string `json:"env"`
		PluginID string            `json:"pluginId"`
		OrgID    int64             `json:"orgId"`
		User     string            `json:"user"`
		JSONData string            `json:"jsonData"`
		Secure   map[string]string `json:"secure"`
		Headers  map[string]string `json:"headers"`
	}
	if err := json.Unmarshal([]byte(h.JSONDetails), &details); err != nil {
		t.Fatalf("health details %q: %v", h.JSONDetails, err)
	}
	if details.Env["grafana_plugin_type"] != "datasource" || details.Env["PLUGIN_PROTOCOL_VERSIONS"] != "2" ||
		details.Env["FAKE_ECHO"] != "hello" {
		t.Errorf("plugin env: %v", details.Env)
	}
	if details.PluginID != defaultPluginID || details.OrgID != 7 || details.User != "admin" ||
		details.JSONData != `{"minStep": "15s"}` || details.Secure["apiToken"] != "s3cret" || details.Headers["X-Echo"] != "h" {
		t.Errorf("plugin context as seen by the plugin: %+v", details)
	}
	if h2 := byID["health-nourl"].Health; h2 == nil || h2.Status != "ERROR" || h2.Message != "uid=other" {
		t.Errorf("health with per-call settings: %+v", h2)
	}

	r := byID["res"].Resource
	if r == nil || r.Code != 201 || r.Messages != 2 || r.Body != "POST labelNames?query=x|payload" ||
		b64(t, r.BodyBase64) != r.Body {
		t.Fatalf("resource: %+v", r)
	}
	if strings.Join(r.Headers["X-Echo"], ",") != "a,b" || strings.Join(r.Headers["X-Path"], ",") != "labelNames" {
		t.Errorf("resource headers: %v", r.Headers)
	}
	if r404 := byID["res404"].Resource; r404 == nil || r404.Code != 404 || r404.Messages != 1 || r404.Body != "" {
		t.Errorf("resource 404: %+v", r404)
	}

	q := byID["q"].QueryData
	if q == nil || len(q.Responses) != 1 {
		t.Fatalf("queryData: %+v", q)
	}
	a := q.Responses["A"]
	if a.Status != 200 || a.Error != "" || len(a.Frames) != 2 {
		t.Fatalf("queryData A: %+v", a)
	}
	if got := b64(t, a.Frames[0]); got != `{"profileTypeId": "cpu"}` {
		t.Errorf("query json as received: %q", got)
	}
	if got := b64(t, a.Frames[1]); got != "1000-2000/15000/800/profile/qh" {
		t.Errorf("query fields as received: %q", got)
	}
	bad := byID["bad"].QueryData
	if bad == nil || bad.Responses["B"].Status != 400 || bad.Responses["B"].Error != "bad query json" ||
		bad.Responses["B"].ErrorSource != "plugin" || len(bad.Responses["B"].Frames) != 0 {
		t.Errorf("raw query: %+v", bad)
	}

	seen := map[int]bool{}
	for _, c := range res.Calls {
		if c.ID != "load" {
			continue
		}
		if c.Metrics == nil || !c.Metrics.HasPayload || !strings.HasPrefix(c.Metrics.Prometheus, "fake_calls_total ") {
			t.Errorf("metrics rep %d: %+v", c.Rep, c.Metrics)
		}
		seen[c.Rep] = true
	}
	if len(seen) != 20 {
		t.Errorf("metrics reps seen: %d, want 20", len(seen))
	}
	if byID["pause"].Ms < 5 {
		t.Errorf("sleep took %v ms", byID["pause"].Ms)
	}

	sd := res.Shutdown
	if !sd.ExitedCleanly || sd.Killed || sd.ExitCode != 0 || sd.ExitedBeforeShutdown || sd.ExitMs < 0 || sd.Ms > 1500 {
		t.Errorf("shutdown: %+v", sd)
	}
	if !hasMessage(res.PluginLog, "check health") || !hasMessage(res.PluginLog, "bad query") ||
		!hasMessage(res.PluginLog, "[WARN] a plain warning line") {
		t.Errorf("plugin log lacks the plugin's lines: %v", res.PluginLog)
	}
	for _, l := range res.PluginLog {
		if l["@message"] == "[WARN] a plain warning line" && l["@level"] != "warn" {
			t.Errorf("prefixed line not re-levelled: %v", l)
		}
	}
	if hasMessage(res.HostLog, "check health") || !hasMessage(res.HostLog, "starting plugin") {
		t.Errorf("host log: %v", res.HostLog)
	}
	if len(res.PluginStderr) == 0 || !strings.Contains(strings.Join(res.PluginStderr, "\n"), `"@message":"check health"`) {
		t.Errorf("raw stderr: %v", res.PluginStderr)
	}
}

func TestIgnoredShutdownIsKilled(t *testing.T) {
	res := runFake(t, `{"env": {"FAKE_MODE": "ignore-shutdown"}, "calls": [{"kind": "collectMetrics"}]}`)
	if !res.Handshake.OK {
		t.Fatalf("handshake: %+v", res.Handshake)
	}
	sd := res.Shutdown
	if sd.ExitedCleanly || !sd.Killed || sd.Signal != "killed" || sd.ExitCode != -1 || sd.Ms < 2000 {
		t.Errorf("shutdown of a plugin that ignores Shutdown: %+v", sd)
	}
	if !hasMessage(res.HostLog, failedGracefulMessage) {
		t.Errorf("go-plugin's warning missing from the host log")
	}
}

func TestWatchdogKillsWhatBlocksKill(t *testing.T) {
	s := mustParse(t, `{"env": {"FAKE_MODE": "orphan"}, "calls": [{"kind": "collectMetrics"}]}`)
	t0 := time.Now()
	res := Run(Options{PluginPath: fakePlugin, PluginID: defaultPluginID,
		StartTimeout: 10 * time.Second, KillWatchdog: time.Second}, s)
	if took := time.Since(t0); took > 5*time.Second {
		t.Errorf("run took %v despite the watchdog", took)
	}
	sd := res.Shutdown
	if !sd.WatchdogFired || !sd.Killed || sd.ExitedCleanly || !sd.KillReturned || sd.ExitCode != 0 {
		t.Errorf("shutdown with an orphan holding stderr: %+v", sd)
	}
}

func TestHandshakeFailure(t *testing.T) {
	res := runFake(t, `{"env": {"FAKE_MODE": "exit-early"}, "calls": [{"kind": "checkHealth"}]}`)
	if res.Handshake.OK || res.Handshake.Error == "" || res.Ping.OK || len(res.Calls) != 0 {
		t.Fatalf("expected a failed handshake: %+v %+v", res.Handshake, res.Ping)
	}
	if res.Shutdown.ExitCode != 3 {
		t.Errorf("exit code %d, want 3 (%+v)", res.Shutdown.ExitCode, res.Shutdown)
	}
	if !hasMessage(res.PluginLog, "fake plugin exiting early") {
		t.Errorf("the plugin's last words are missing: %v", res.PluginLog)
	}
}

func TestCrashDuringCall(t *testing.T) {
	res := runFake(t, `{"env": {"FAKE_MODE": "crash-on-query"}, "calls": [
	  {"id": "q", "kind": "queryData", "queries": [{"refId": "A"}]},
	  {"id": "after", "kind": "checkHealth", "timeoutMs": 2000}]}`)
	if len(res.Calls) != 2 {
		t.Fatalf("calls: %+v", res.Calls)
	}
	for _, c := range res.Calls {
		if c.GRPCError == nil {
			t.Errorf("call %s after a crash succeeded: %+v", c.ID, c)
		}
	}
	sd := res.Shutdown
	if sd.ExitedCleanly || sd.ExitCode != 7 {
		t.Errorf("shutdown after a crash: %+v", sd)
	}
}

func TestHostExitStatus(t *testing.T) {
	dir, err := ioutil.TempDir("", "pluginhost-exit")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "s.json")
	out := filepath.Join(dir, "r.json")
	write := func(text string) {
		if err := ioutil.WriteFile(script, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"calls": [{"kind": "checkHealth"}]}`)
	if code := run([]string{"-plugin", fakePlugin, "-script", script, "-out", out}); code != 0 {
		t.Errorf("exit %d for a working plugin", code)
	}
	var res Result
	data, _ := ioutil.ReadFile(out)
	if err := json.Unmarshal(data, &res); err != nil || len(res.Calls) != 1 || res.Calls[0].Health == nil {
		t.Errorf("result file %s: %v", data, err)
	}
	write(`{"env": {"FAKE_MODE": "exit-early"}, "calls": []}`)
	if code := run([]string{"-plugin", fakePlugin, "-script", script, "-out", out}); code != exitHandshakeFailed {
		t.Errorf("exit %d for a plugin that does not start, want %d", code, exitHandshakeFailed)
	}
	write(`{"calls": [{"kind": "nope"}]}`)
	if code := run([]string{"-plugin", fakePlugin, "-script", script, "-out", out}); code != 1 {
		t.Errorf("exit %d for a bad script, want 1", code)
	}
	if code := run([]string{"-plugin", filepath.Join(dir, "absent"), "-script", script}); code != 1 {
		t.Errorf("exit %d for a missing plugin with a bad script, want 1", code)
	}
}

func TestParseScriptErrors(t *testing.T) {
	cases := map[string]string{
		`{"calls": [{"kind": "nope"}]}`:                                            `unknown kind "nope"`,
		`{"calls": [{"id": "x"}]}`:                                                 "missing kind",
		`{"calls": [{"kind": "checkHealth", "bogus": 1}]}`:                         `unknown field "bogus"`,
		`{"calls": [{"kind": "callResource", "headers": {"a": "b"}}]}`:             "string arrays",
		`{"calls": [{"kind": "queryData", "headers": {"a": ["b"]}}]}`:              "object of strings",
		`{"calls": [{"kind": "raw", "queries": [{"refId": "A"}]}]}`:                "needs a raw string",
		`{"calls": [{"kind": "sleep"}]}`:                                           "ms > 0",
		`{"calls": [{"kind": "checkHealth", "repeat": -1}]}`:                       "repeat must be",
		`{"calls": [{"kind": "callResource", "body": "a", "bodyBase64": "YQ=="}]}`: "not both",
		`{"calls": []} {}`: "after the top-level object",
	}
	for text, want := range cases {
		_, err := ParseScript([]byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseScript(%s) = %v, want an error containing %q", text, err, want)
		}
	}
	s := mustParse(t, `{"calls": [{"kind": "callResource", "path": "p"}]}`)
	if c := s.Calls[0]; c.ID != "call0" || c.Method != "GET" || c.Repeat != 1 || c.TimeoutMs != 60000 {
		t.Errorf("defaults: %+v", c)
	}
}
