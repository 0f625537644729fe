// Command gateway runs the local API gateway in front of the services.
package main

import (
	"os"

	"github.com/comanda/comanda/harness/gateway"
	"github.com/comanda/comanda/services/platform/command"
)

func main() { os.Exit(command.Run("gateway", gateway.Run)) }
