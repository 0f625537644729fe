// Command auth runs the auth service: customer registration and tokens.
package main

import (
	"os"

	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/platform/command"
)

func main() { os.Exit(command.Run("auth", auth.Run)) }
