// Command production runs the kitchen service.
package main

import (
	"os"

	"github.com/comanda/comanda/services/platform/command"
	"github.com/comanda/comanda/services/production"
)

func main() { os.Exit(command.Run("production", production.Run)) }
