package console

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// faultsView is every service, and whether it runs.
type faultsView struct {
	Services []serviceState
}

type serviceState struct {
	Name    string
	Running bool
}

// faultActions are what the faults page does to a service, and what it
// says of each.
var faultActions = map[string]string{
	"stop":    "stopped",
	"start":   "started",
	"restart": "restarted",
	"pause":   "paused (frozen: it answers nothing)",
	"resume":  "resumed",
}

func (c *Console) faultsPage(w http.ResponseWriter, r *http.Request) {
	var v faultsView
	for _, name := range c.sys.ServiceNames() {
		v.Services = append(v.Services, serviceState{Name: name, Running: c.sys.ServiceRunning(name)})
	}
	c.render(w, r, "faults", page{Title: "Faults", Nav: "faults", Data: v})
}

// fault stops, starts, restarts, pauses or resumes a service.
func (c *Console) fault(w http.ResponseWriter, r *http.Request) {
	service, action := r.PathValue("service"), r.PathValue("action")
	said, known := faultActions[action]
	if !known || !slices.Contains(c.sys.ServiceNames(), service) {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 40*time.Second)
	defer cancel()
	do := map[string]func(context.Context, string) error{
		"stop": c.sys.StopService, "start": c.sys.StartService, "restart": c.sys.RestartService,
		"pause": c.sys.PauseService, "resume": c.sys.ResumeService,
	}[action]
	err := do(ctx, service)
	back(w, r, "/faults", err, fmt.Sprintf("The %s service is %s.", service, said))
}
