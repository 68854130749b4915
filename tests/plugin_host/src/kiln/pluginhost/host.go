package main

// One plugin run: start the executable as Grafana does, ping, run the calls,
// stop it, and record how each step went.

import (
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	plugin "github.com/hashicorp/go-plugin"
)

// Options are the host's command-line settings.
type Options struct {
	PluginPath   string
	PluginID     string
	StartTimeout time.Duration
	// KillWatchdog bounds go-plugin's Kill(), which can block for ever if
	// the plugin never answers the Shutdown RPC; then the host SIGKILLs the
	// process itself.
	KillWatchdog time.Duration
	Verbose      bool
}

// gracefulExitWindow is how long go-plugin's Kill() waits for the process
// after asking it to shut down, before SIGKILL.
const gracefulExitWindow = 2 * time.Second

// failedGracefulMessage is what go-plugin logs when that window passes.
const failedGracefulMessage = "plugin failed to exit gracefully"

// watchdogGrace is how long the host still waits for Kill() after the
// watchdog's SIGKILLs before it stops waiting altogether.
const watchdogGrace = 3 * time.Second

// Run executes the script against a fresh plugin process. It always returns
// a result; Handshake.OK says whether the plugin could be started.
func Run(opts Options, script *Script) *Result {
	executable := filepath.Base(opts.PluginPath)
	logs := newLogCapture("plugin."+opts.PluginID, opts.Verbose)

	// Grafana: exec.Command(path) with no arguments and no working
	// directory, cmd.Env = the plugin's variables; go-plugin then appends
	// os.Environ() and its own handshake variables.
	cmd := exec.Command(opts.PluginPath)
	cmd.Env = envList(script.Env)

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  grafanaHandshake,
		VersionedPlugins: grafanaVersionedPlugins(),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     opts.StartTimeout,
		Logger:           logs.logger,
		Stderr:           &logs.stderr,
	})

	res := &Result{Calls: []CallResult{}}
	st, ok := start(client, &res.Handshake)
	if ok {
		res.Ping = ping(client)
		runner := &callRunner{stubs: st, script: script, pluginID: opts.PluginID}
		res.Calls = runner.runAll()
	} else {
		res.Ping = PingResult{Error: "not attempted: handshake failed"}
	}
	res.Shutdown = shutdown(client, cmd, opts.KillWatchdog, logs)
	res.PluginLog, res.HostLog = logs.split(executable)
	res.PluginStderr = logs.stderrLines()
	res.Shutdown.Killed = res.Shutdown.Killed || hasMessage(res.HostLog, failedGracefulMessage)
	res.Shutdown.ExitedCleanly = res.Shutdown.ExitedCleanly && !res.Shutdown.Killed
	return res
}

func start(client *plugin.Client, hs *HandshakeResult) (*stubs, bool) {
	t0 := time.Now()
	rpc, err := client.Client() // starts the process, reads the handshake, dials
	if err == nil {
		var st *stubs
		st, err = dispense(rpc)
		hs.Ms = msSince(t0)
		if err == nil {
			hs.OK = true
			hs.ProtocolVersion = client.NegotiatedVersion()
			hs.Protocol = string(client.Protocol())
			if rc := client.ReattachConfig(); rc != nil {
				hs.Pid = rc.Pid
				if rc.Addr != nil {
					hs.Network, hs.Address = rc.Addr.Network(), rc.Addr.String()
				}
			}
			return st, true
		}
	}
	hs.Ms = msSince(t0)
	hs.Error = err.Error()
	return nil, false
}

func ping(client *plugin.Client) PingResult {
	t0 := time.Now()
	rpc, err := client.Client()
	if err == nil {
		err = rpc.Ping()
	}
	r := PingResult{OK: err == nil, Ms: msSince(t0)}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// shutdown stops the plugin the way Grafana's Stop() does, via go-plugin's
// Kill(). Kill() does not say whether it had to SIGKILL, so the process
// state is read directly: cmd.Wait() has run by the time Kill() returns.
func shutdown(client *plugin.Client, cmd *exec.Cmd, watchdog time.Duration, logs *logCapture) ShutdownResult {
	r := ShutdownResult{ExitMs: -1, ExitCode: -1, KillReturned: true}
	if cmd.Process == nil {
		return r // never started
	}
	r.ExitedBeforeShutdown = client.Exited() || processGone(cmd.Process.Pid)

	t0 := time.Now()
	exitSeen := make(chan float64, 1)
	killDone := make(chan struct{})
	go func() {
		// Exited() turns true once go-plugin's cmd.Wait() returns.
		for {
			if client.Exited() {
				exitSeen <- msSince(t0)
				return
			}
			select {
			case <-killDone:
				if client.Exited() {
					exitSeen <- msSince(t0)
				} else {
					exitSeen <- -1
				}
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	go func() {
		client.Kill()
		close(killDone)
	}()
	select {
	case <-killDone:
	case <-time.After(watchdog):
		r.WatchdogFired = true
		r.Killed = true
		n := killDescendants()
		logs.logger.Error("kill watchdog: Kill() did not return; sent SIGKILL", "after", watchdog.String(), "processes", n)
		select {
		case <-killDone:
		case <-time.After(watchdogGrace):
			// Something still holds go-plugin's pipes; report what is known.
			r.KillReturned = false
			logs.logger.Error("kill watchdog: Kill() still blocked; giving up on it")
		}
	}
	r.Ms = msSince(t0)
	if !r.KillReturned {
		// The poller may never report; cmd.ProcessState is go-plugin's to set.
		if processGone(cmd.Process.Pid) {
			r.ExitMs = r.Ms
		}
		return r
	}
	r.ExitMs = <-exitSeen

	if ps := cmd.ProcessState; ps != nil {
		r.ExitCode = ps.ExitCode()
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.Signal = ws.Signal().String()
			if ws.Signal() == syscall.SIGKILL {
				r.Killed = true
			}
		}
	}
	r.ExitedCleanly = !r.ExitedBeforeShutdown && r.ExitMs >= 0 && r.Signal == "" && !r.Killed && r.ExitCode == 0
	return r
}

func envList(env map[string]string) []string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(env))
	for _, k := range keys {
		out = append(out, k+"="+env[k])
	}
	return out
}

func hasMessage(lines []map[string]interface{}, msg string) bool {
	for _, l := range lines {
		if m, ok := l["@message"].(string); ok && strings.Contains(m, msg) {
			return true
		}
	}
	return false
}
