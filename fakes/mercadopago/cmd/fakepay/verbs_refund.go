package main

import (
	"math"
	"net/url"
	"strconv"
)

// refundFlags are refund's options: --amount gives back only that much.
type refundFlags struct {
	amount string
}

// query is the control API's ?amount=, or nil to refund all that remains.
func (r refundFlags) query() (url.Values, error) {
	if r.amount == "" {
		return nil, nil
	}
	amount, err := strconv.ParseFloat(r.amount, 64)
	if err != nil || math.IsNaN(amount) || math.IsInf(amount, 0) || amount <= 0 {
		return nil, usagef("--amount takes a positive amount like 12.50, got %q", r.amount)
	}
	return url.Values{"amount": {strconv.FormatFloat(amount, 'f', -1, 64)}}, nil
}
