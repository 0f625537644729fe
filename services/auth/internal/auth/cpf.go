package auth

import "strings"

// CPF is a Brazilian individual taxpayer number, normalised to 11 digits.
type CPF string

// ParseCPF accepts 11 digits, optionally punctuated with '.' and '-'
// (123.456.789-09), and checks both check digits. Numbers made of one
// repeated digit pass the arithmetic but are not issued, so they are refused.
func ParseCPF(raw string) (CPF, error) {
	digits := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(raw))
	if len(digits) != 11 {
		return "", invalidTaxID("a CPF has 11 digits")
	}
	d := make([]int, len(digits))
	for i := range len(digits) {
		c := digits[i]
		if c < '0' || c > '9' {
			return "", invalidTaxID("a CPF holds only digits, '.' and '-'")
		}
		d[i] = int(c - '0')
	}
	if strings.Count(digits, digits[:1]) == len(digits) {
		return "", invalidTaxID("a CPF cannot repeat one digit")
	}
	if checkDigit(d[:9]) != d[9] || checkDigit(d[:10]) != d[10] {
		return "", invalidTaxID("the check digits do not match")
	}
	return CPF(digits), nil
}

// checkDigit is the modulo-11 digit that follows prefix: weights run from
// len(prefix)+1 down to 2, and a remainder of 10 counts as 0.
func checkDigit(prefix []int) int {
	sum := 0
	for i, v := range prefix {
		sum += v * (len(prefix) + 1 - i)
	}
	r := sum * 10 % 11
	if r == 10 {
		return 0
	}
	return r
}

func (c CPF) String() string { return string(c) }
