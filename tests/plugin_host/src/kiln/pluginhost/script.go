package main

// The call script: what the host sends to the plugin, in order. Its format is
// documented in tests/plugin_host/README.md; unknown keys are errors so that a
// typo in a test fails loudly instead of silently sending a default.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/ioutil"
)

// Script is the whole input file.
type Script struct {
	// Env is extra environment for the plugin process (Grafana's
	// GF_PLUGIN_* and GF_* variables). As in Grafana, go-plugin appends the
	// host's own environment after it, so a variable the host already has wins.
	Env map[string]string `json:"env"`
	// Settings and PluginContext are defaults for calls that set neither.
	Settings      *Settings      `json:"settings"`
	PluginContext *PluginContext `json:"pluginContext"`
	Calls         []Call         `json:"calls"`
}

// Settings is the datasource instance, as Grafana sends it in
// PluginContext.dataSourceInstanceSettings.
type Settings struct {
	UID      string `json:"uid"`
	Name     string `json:"name"`
	URL      string `json:"url"`
	User     string `json:"user"`
	Database string `json:"database"`
	// JSONData is the datasource's jsonData object, sent as its raw bytes;
	// JSONDataRaw, if set, is sent verbatim instead (to test malformed JSON).
	JSONData         json.RawMessage   `json:"jsonData"`
	JSONDataRaw      *string           `json:"jsonDataRaw"`
	Secure           map[string]string `json:"secure"`
	LastUpdatedMS    int64             `json:"lastUpdatedMS"`
	BasicAuthEnabled bool              `json:"basicAuthEnabled"`
	BasicAuthUser    string            `json:"basicAuthUser"`
	OrgID            *int64            `json:"orgId"`
	APIVersion       string            `json:"apiVersion"`
	ID               int64             `json:"id"`
}

// PluginContext holds the PluginContext fields other than the datasource.
type PluginContext struct {
	OrgID         *int64            `json:"orgId"`
	PluginID      *string           `json:"pluginId"`
	User          *User             `json:"user"`
	NoUser        bool              `json:"noUser"`
	GrafanaConfig map[string]string `json:"grafanaConfig"`
	PluginVersion string            `json:"pluginVersion"`
	UserAgent     string            `json:"userAgent"`
	APIVersion    string            `json:"apiVersion"`
	Namespace     string            `json:"namespace"`
}

// User is the signed-in Grafana user a request comes from.
type User struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"`
}

// Call is one RPC (or a pause). Which fields apply depends on Kind.
type Call struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`

	Settings      *Settings      `json:"settings"`
	PluginContext *PluginContext `json:"pluginContext"`

	// Repeat issues the same call N times (default 1), concurrently when
	// Parallel is set; each repetition gets its own result entry.
	Repeat   int  `json:"repeat"`
	Parallel bool `json:"parallel"`
	// TimeoutMs bounds one RPC (default 60000); a timeout is reported as a
	// grpcError with code DeadlineExceeded.
	TimeoutMs int64 `json:"timeoutMs"`

	// callResource: headers is {name: [values]}. checkHealth and
	// queryData: headers is {name: value}. Parsed per kind in Validate.
	Headers json.RawMessage `json:"headers"`

	// callResource
	Path       string  `json:"path"`
	Method     string  `json:"method"`
	URL        *string `json:"url"`
	Body       *string `json:"body"`
	BodyBase64 *string `json:"bodyBase64"`

	// queryData and raw
	Queries []Query `json:"queries"`
	Format  int32   `json:"format"`

	// sleep
	Ms int64 `json:"ms"`

	resourceHeaders map[string][]string
	simpleHeaders   map[string]string
	body            []byte
}

// Query is one DataQuery. JSON is the panel target object, sent as its raw
// bytes; Raw, if set, is sent verbatim instead (kind "raw" requires it).
type Query struct {
	RefID         string          `json:"refId"`
	QueryType     string          `json:"queryType"`
	JSON          json.RawMessage `json:"json"`
	Raw           *string         `json:"raw"`
	From          int64           `json:"from"`
	To            int64           `json:"to"`
	IntervalMs    int64           `json:"intervalMs"`
	MaxDataPoints int64           `json:"maxDataPoints"`
}

const (
	kindCheckHealth    = "checkHealth"
	kindCallResource   = "callResource"
	kindQueryData      = "queryData"
	kindRaw            = "raw"
	kindCollectMetrics = "collectMetrics"
	kindSleep          = "sleep"
)

// LoadScript reads and validates a script file.
func LoadScript(path string) (*Script, error) {
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading script: %v", err)
	}
	s, err := ParseScript(data)
	if err != nil {
		return nil, fmt.Errorf("script %s: %v", path, err)
	}
	return s, nil
}

// ParseScript decodes a script strictly and validates every call.
func ParseScript(data []byte) (*Script, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Script
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("not a valid script: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not a valid script: text after the top-level object")
	}
	if err := s.Settings.validate(); err != nil {
		return nil, fmt.Errorf("settings: %v", err)
	}
	for i := range s.Calls {
		if err := s.Calls[i].validate(i); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

func (s *Settings) validate() error {
	if s == nil {
		return nil
	}
	if len(s.JSONData) > 0 && s.JSONDataRaw != nil {
		return fmt.Errorf("set jsonData or jsonDataRaw, not both")
	}
	return nil
}

func (c *Call) validate(index int) error {
	if c.ID == "" {
		c.ID = fmt.Sprintf("call%d", index)
	}
	where := fmt.Sprintf("calls[%d] (id %q)", index, c.ID)
	if c.Repeat == 0 {
		c.Repeat = 1
	}
	if c.Repeat < 0 {
		return fmt.Errorf("%s: repeat must be >= 1, got %d", where, c.Repeat)
	}
	if c.TimeoutMs < 0 {
		return fmt.Errorf("%s: timeoutMs must be >= 0, got %d", where, c.TimeoutMs)
	}
	if c.TimeoutMs == 0 {
		c.TimeoutMs = 60000
	}
	if err := c.Settings.validate(); err != nil {
		return fmt.Errorf("%s: settings: %v", where, err)
	}
	switch c.Kind {
	case kindCheckHealth, kindQueryData, kindRaw:
		if len(c.Headers) > 0 {
			if err := json.Unmarshal(c.Headers, &c.simpleHeaders); err != nil {
				return fmt.Errorf("%s: headers must be an object of strings for %s: %v", where, c.Kind, err)
			}
		}
	case kindCallResource:
		if len(c.Headers) > 0 {
			if err := json.Unmarshal(c.Headers, &c.resourceHeaders); err != nil {
				return fmt.Errorf("%s: headers must be an object of string arrays for callResource: %v", where, err)
			}
		}
	case kindCollectMetrics:
	case kindSleep:
		if c.Ms <= 0 {
			return fmt.Errorf("%s: sleep needs ms > 0", where)
		}
	case "":
		return fmt.Errorf("%s: missing kind", where)
	default:
		return fmt.Errorf("%s: unknown kind %q (checkHealth, callResource, queryData, raw, collectMetrics, sleep)", where, c.Kind)
	}
	if c.Kind == kindCallResource {
		if c.Method == "" {
			c.Method = "GET"
		}
		if c.Body != nil && c.BodyBase64 != nil {
			return fmt.Errorf("%s: set body or bodyBase64, not both", where)
		}
		if c.Body != nil {
			c.body = []byte(*c.Body)
		}
		if c.BodyBase64 != nil {
			b, err := decodeBase64(*c.BodyBase64)
			if err != nil {
				return fmt.Errorf("%s: bodyBase64: %v", where, err)
			}
			c.body = b
		}
	}
	if c.Kind == kindQueryData || c.Kind == kindRaw {
		for j, q := range c.Queries {
			if len(q.JSON) > 0 && q.Raw != nil {
				return fmt.Errorf("%s: queries[%d]: set json or raw, not both", where, j)
			}
			if c.Kind == kindRaw && q.Raw == nil {
				return fmt.Errorf("%s: queries[%d]: kind raw needs a raw string", where, j)
			}
		}
	}
	return nil
}
