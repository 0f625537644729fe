// Command payment runs the payment service: PIX payments at Mercado Pago
// for the orders, their webhooks, and the payment reads.
package main

import (
	"os"

	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/command"
)

func main() { os.Exit(command.Run("payment", payment.Run)) }
