package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func startExternal(ctx context.Context, rawURL string, log *slog.Logger) (*Cluster, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		// pgx's parse errors quote the connection string, password included.
		return nil, errors.New("parse external PostgreSQL URL: invalid connection string")
	}
	hostPort := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
	cfg.MaxConns = 4
	admin, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to external postgres %s: %w", hostPort, err)
	}
	if err := admin.Ping(ctx); err != nil {
		admin.Close()
		return nil, fmt.Errorf("ping external postgres %s: %w", hostPort, err)
	}
	c := &Cluster{log: log, backend: "external (DATABASE_URL " + hostPort + ")", adminURL: rawURL, admin: admin}
	log.Info("postgres ready", "backend", c.backend)
	return c, nil
}

// dropCreated drops, with force, every database this Cluster created on an
// external server, and nothing else.
func (c *Cluster) dropCreated() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.mu.Lock()
	names := c.created
	c.created = nil
	c.mu.Unlock()
	var errs []error
	for _, name := range names {
		if _, err := c.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			errs = append(errs, fmt.Errorf("drop database %q: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// withDatabase returns the connection string raw pointed at database name;
// raw is either a URL or a keyword/value string, as pgx accepts both.
func withDatabase(raw, name string) (string, error) {
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		u, err := url.Parse(raw)
		if err != nil {
			return "", errors.New("parse PostgreSQL URL: invalid URL")
		}
		u.Path, u.RawPath = "/"+name, ""
		return u.String(), nil
	}
	// In keyword/value form the last setting of a keyword wins.
	quoted := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name)
	return raw + " dbname='" + quoted + "'", nil
}
