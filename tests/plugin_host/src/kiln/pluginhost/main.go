// kiln-plugin-host stands in for Grafana in tests of Kiln's backend plugin:
// it launches the plugin executable through hashicorp/go-plugin with
// Grafana's client settings, pings it, drives it with the pluginv2 calls of a
// JSON script and writes what happened as JSON (tests/plugin_host/README.md).
//
// Exit status: 0 when the host did its job (whatever the plugin answered),
// 1 for bad usage or an unreadable script, 3 when the plugin could not be
// started (the result is still written). 2 is left to Go's runtime, which
// exits with it on a panic, e.g. go-plugin's on a plugin stderr JSON line
// whose @message, @level or @timestamp is not a string.
package main

import (
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"time"
)

const exitHandshakeFailed = 3

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("kiln-plugin-host", flag.ContinueOnError)
	pluginPath := fs.String("plugin", "", "plugin executable to launch (required)")
	scriptPath := fs.String("script", "", "JSON call script (required)")
	outPath := fs.String("out", "", "result JSON file (default: stdout)")
	pluginID := fs.String("plugin-id", defaultPluginID, "plugin id: PluginContext.pluginId and the logger name plugin.<id>")
	startTimeout := fs.Duration("start-timeout", time.Minute, "go-plugin StartTimeout (Grafana leaves go-plugin's 1 min default)")
	killWatchdog := fs.Duration("kill-watchdog", 5*time.Second, "SIGKILL the plugin and its descendants if go-plugin's Kill() (at most 2 s by design) has not returned by then")
	verbose := fs.Bool("v", false, "also copy the host log (hclog JSON) to stderr")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if *pluginPath == "" || *scriptPath == "" || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: kiln-plugin-host -plugin <executable> -script <calls.json> [-out <result.json>]")
		return 1
	}
	if err := becomeSubreaper(); err != nil {
		fmt.Fprintln(os.Stderr, "kiln-plugin-host: warning: cannot become a child subreaper:", err)
	}
	script, err := LoadScript(*scriptPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kiln-plugin-host:", err)
		return 1
	}

	res := Run(Options{
		PluginPath:   *pluginPath,
		PluginID:     *pluginID,
		StartTimeout: *startTimeout,
		KillWatchdog: *killWatchdog,
		Verbose:      *verbose,
	}, script)

	out, err := renderJSON(res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kiln-plugin-host: encoding the result:", err)
		return 1
	}
	if *outPath == "" {
		os.Stdout.Write(out)
	} else if err := ioutil.WriteFile(*outPath, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "kiln-plugin-host: writing the result:", err)
		return 1
	}
	if !res.Handshake.OK {
		fmt.Fprintln(os.Stderr, "kiln-plugin-host: plugin did not start:", res.Handshake.Error)
		return exitHandshakeFailed
	}
	return 0
}
