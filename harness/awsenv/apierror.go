package awsenv

import (
	"errors"

	"github.com/aws/smithy-go"
)

// hasCode reports whether err is an AWS API error with one of codes. Codes,
// not typed errors: emulators' error bodies do not always decode into the
// SDK's types.
func hasCode(err error, codes ...string) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	for _, c := range codes {
		if api.ErrorCode() == c {
			return true
		}
	}
	return false
}
