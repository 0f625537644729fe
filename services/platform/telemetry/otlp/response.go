package otlp

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// rejected reads an Export…ServiceResponse: an error if its
// partial_success says the receiver refused some of what it was sent.
// Both signals' responses are laid out alike: field 1, a message of the
// number rejected (field 1) and why (field 2).
func rejected(response []byte) error {
	partial, ok := field(response, 1, protowire.BytesType)
	if !ok {
		return nil
	}
	count, _ := field(partial, 1, protowire.VarintType)
	message, _ := field(partial, 2, protowire.BytesType)
	n, _ := protowire.ConsumeVarint(count)
	if n == 0 && len(message) == 0 {
		return nil
	}
	return fmt.Errorf("receiver rejected %d: %s", n, message)
}

// field finds the first field num of type typ in msg: its value's bytes
// (a varint's, or a length-delimited field's contents).
func field(msg []byte, num protowire.Number, typ protowire.Type) ([]byte, bool) {
	for len(msg) > 0 {
		n, t, size := protowire.ConsumeTag(msg)
		if size < 0 {
			return nil, false
		}
		msg = msg[size:]
		valueSize := protowire.ConsumeFieldValue(n, t, msg)
		if valueSize < 0 {
			return nil, false
		}
		if n == num && t == typ {
			if t == protowire.BytesType {
				v, _ := protowire.ConsumeBytes(msg)
				return v, true
			}
			return msg[:valueSize], true
		}
		msg = msg[valueSize:]
	}
	return nil, false
}
