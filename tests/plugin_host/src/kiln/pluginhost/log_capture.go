package main

// Captures what Grafana's log would show: go-plugin reads the plugin's stderr
// line by line, parses hclog JSON lines (others get a level from a [LEVEL]
// prefix, else debug) and re-logs them through the host's logger, named after
// the executable. The host logger writes hclog JSON into a buffer, which is
// split afterwards into the plugin's lines and go-plugin's own.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"sync"

	hclog "github.com/hashicorp/go-hclog"
)

// lockedBuffer is an io.Writer safe for go-plugin's concurrent goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	tee io.Writer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tee != nil {
		b.tee.Write(p)
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte{}, b.buf.Bytes()...)
}

// logCapture owns the host logger and the raw stderr copy.
type logCapture struct {
	name   string // the host logger's name, as Grafana's "plugin.<id>"
	log    lockedBuffer
	stderr lockedBuffer
	logger hclog.Logger
}

func newLogCapture(name string, verbose bool) *logCapture {
	lc := &logCapture{name: name}
	if verbose {
		lc.log.tee = os.Stderr
	}
	lc.logger = hclog.New(&hclog.LoggerOptions{
		Name:       name,
		Level:      hclog.Trace,
		JSONFormat: true,
		Output:     &lc.log,
	})
	return lc
}

// split returns the plugin's re-logged lines (module "<name>.<executable>")
// and everything else the logger wrote.
func (lc *logCapture) split(executable string) (plugin, host []map[string]interface{}) {
	plugin, host = []map[string]interface{}{}, []map[string]interface{}{}
	pluginModule := lc.name + "." + executable
	for _, line := range bytes.Split(lc.log.Bytes(), []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		entry := map[string]interface{}{}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&entry); err != nil {
			// The logger writes JSON; keep anything else visible rather than drop it.
			entry = map[string]interface{}{"@message": string(line), "@unparsed": true}
		}
		if entry["@module"] == pluginModule {
			plugin = append(plugin, entry)
		} else {
			host = append(host, entry)
		}
	}
	return plugin, host
}

// stderrLines returns the plugin's raw stderr, one string per line.
func (lc *logCapture) stderrLines() []string {
	lines := []string{}
	sc := bufio.NewScanner(bytes.NewReader(lc.stderr.Bytes()))
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}
