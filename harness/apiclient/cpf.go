package apiclient

import (
	"fmt"
	"math/rand/v2"
)

// NewCPF returns a random CPF with valid check digits, 11 digits unformatted.
func NewCPF() string {
	d := make([]int, 11)
	for {
		for i := range 9 {
			d[i] = rand.IntN(10)
		}
		if !allSame(d[:9]) {
			break
		}
	}
	d[9] = cpfDigit(d[:9], 10)
	d[10] = cpfDigit(d[:10], 11)
	s := ""
	for _, v := range d {
		s += fmt.Sprint(v)
	}
	return s
}

// FormatCPF writes 11 digits as 000.000.000-00.
func FormatCPF(cpf string) string {
	if len(cpf) != 11 {
		return cpf
	}
	return cpf[0:3] + "." + cpf[3:6] + "." + cpf[6:9] + "-" + cpf[9:]
}

func cpfDigit(d []int, weight int) int {
	sum := 0
	for i, v := range d {
		sum += v * (weight - i)
	}
	r := sum * 10 % 11
	if r == 10 {
		return 0
	}
	return r
}

func allSame(d []int) bool {
	for _, v := range d {
		if v != d[0] {
			return false
		}
	}
	return true
}
