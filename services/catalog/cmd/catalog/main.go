// Command catalog runs the catalog service: the menu's categories and products.
package main

import (
	"os"

	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/platform/command"
)

func main() { os.Exit(command.Run("catalog", catalog.Run)) }
