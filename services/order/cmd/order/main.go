// Command order runs the order service with its configuration from the environment.
package main

import (
	"os"

	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/platform/command"
)

func main() { os.Exit(command.Run("order", order.Run)) }
