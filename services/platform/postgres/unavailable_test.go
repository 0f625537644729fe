package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/comanda/comanda/services/platform/postgres"
)

func TestUnavailable(t *testing.T) {
	t.Parallel()
	// A port nobody listens on: the connection is refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	_, refused := pgx.Connect(context.Background(), "postgres://postgres@"+addr+"/x?sslmode=disable&connect_timeout=2")

	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", refused, true},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, true},
		{"connection failure", fmt.Errorf("apply: %w", &pgconn.PgError{Code: "08006"}), true},
		{"broken connection", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"a bug", errors.New("order has no items"), false},
	}
	for _, tt := range tests {
		if got := postgres.Unavailable(tt.err); got != tt.want {
			t.Errorf("Unavailable(%s: %v) = %v; want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
