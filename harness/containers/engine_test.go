package containers

import (
	"strings"
	"testing"

	"github.com/moby/moby/api/types/system"
	"github.com/moby/moby/client"
)

// COMANDA_BACKEND picks the backend; a misspelt one, or an unknown AWS
// emulator, is refused before any engine is reached.
func TestFromEnv(t *testing.T) {
	for _, backend := range []string{"", "embedded"} {
		t.Setenv("COMANDA_BACKEND", backend)
		engine, err := FromEnv(t.Context(), nil)
		if err != nil || engine != nil {
			t.Errorf("COMANDA_BACKEND=%q: engine %v, error %v; want the in-process system (nil, nil)", backend, engine, err)
		}
	}
	t.Setenv("COMANDA_BACKEND", "docker")
	if _, err := FromEnv(t.Context(), nil); err == nil || !strings.Contains(err.Error(), `want "embedded" or "containers"`) {
		t.Errorf("COMANDA_BACKEND=docker: error %v, want one naming the choices", err)
	}
	t.Setenv("COMANDA_BACKEND", "containers")
	t.Setenv("COMANDA_AWS_EMULATOR", "moto")
	if _, err := FromEnv(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "want awsemu or localstack") {
		t.Errorf("COMANDA_AWS_EMULATOR=moto: error %v, want one naming the choices", err)
	}
}

func TestServerName(t *testing.T) {
	t.Parallel()
	podman := client.ServerVersionResult{Platform: client.PlatformInfo{Name: "linux/amd64/debian-12"}, Version: "4.3.1",
		Components: []system.ComponentVersion{{Name: "Podman Engine", Version: "4.3.1"}}}
	docker := client.ServerVersionResult{Platform: client.PlatformInfo{Name: "Docker Engine - Community"}, Version: "28.5.2"}
	for v, want := range map[*client.ServerVersionResult]string{&podman: "Podman Engine 4.3.1", &docker: "Docker Engine - Community 28.5.2"} {
		if got := serverName(*v); got != want {
			t.Errorf("serverName = %q, want %q", got, want)
		}
	}
}
