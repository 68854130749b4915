package main

// The go-plugin side of Grafana's plugin client: the handshake constants and
// the versioned plugin set Grafana registers
// (grafana/pkg/plugins/backendplugin/grpcplugin/client.go). Dispensing a
// plugin type only wraps the shared connection in a pluginv2 stub; no RPC is
// made until a call uses it.

import (
	"context"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"kiln/pluginv2"
)

// grafanaHandshake is grafana-plugin-sdk-go's backend/grpcplugin handshake.
var grafanaHandshake = plugin.HandshakeConfig{
	ProtocolVersion:  2,
	MagicCookieKey:   "grafana_plugin_type",
	MagicCookieValue: "datasource",
}

// Plugin type names, as Grafana dispenses them.
const (
	pluginDiagnostics = "diagnostics"
	pluginResource    = "resource"
	pluginData        = "data"
)

// stubPlugin is a GRPCPlugin whose client side is a pluginv2 stub; the host
// never serves plugins, so the server side is unsupported.
type stubPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	newStub func(conn *grpc.ClientConn) interface{}
}

func (p *stubPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return nil
}

func (p *stubPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return p.newStub(conn), nil
}

// grafanaVersionedPlugins is Grafana's VersionedPlugins restricted to the
// services a datasource uses ({2: diagnostics, resource, data}).
func grafanaVersionedPlugins() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		int(grafanaHandshake.ProtocolVersion): {
			pluginDiagnostics: &stubPlugin{newStub: func(c *grpc.ClientConn) interface{} { return pluginv2.NewDiagnosticsClient(c) }},
			pluginResource:    &stubPlugin{newStub: func(c *grpc.ClientConn) interface{} { return pluginv2.NewResourceClient(c) }},
			pluginData:        &stubPlugin{newStub: func(c *grpc.ClientConn) interface{} { return pluginv2.NewDataClient(c) }},
		},
	}
}

// stubs are the dispensed pluginv2 clients.
type stubs struct {
	diagnostics pluginv2.DiagnosticsClient
	resource    pluginv2.ResourceClient
	data        pluginv2.DataClient
}

// dispense asks go-plugin for each plugin type, as Grafana does after start.
func dispense(rpc plugin.ClientProtocol) (*stubs, error) {
	var s stubs
	raw, err := rpc.Dispense(pluginDiagnostics)
	if err != nil {
		return nil, err
	}
	s.diagnostics = raw.(pluginv2.DiagnosticsClient)
	if raw, err = rpc.Dispense(pluginResource); err != nil {
		return nil, err
	}
	s.resource = raw.(pluginv2.ResourceClient)
	if raw, err = rpc.Dispense(pluginData); err != nil {
		return nil, err
	}
	s.data = raw.(pluginv2.DataClient)
	return &s, nil
}
