package order

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/web"
)

// Product is what an order needs of a catalog product.
type Product struct {
	ID    string      `json:"id"`
	Name  string      `json:"name"`
	Price money.Cents `json:"price"`
}

// CatalogClient reads products from the catalog service.
type CatalogClient struct {
	baseURL string
	client  *http.Client
}

// NewCatalogClient returns a client of the catalog at baseURL whose every
// call gives up after timeout.
func NewCatalogClient(baseURL string, timeout time.Duration) *CatalogClient {
	// A transport of its own: the default one keeps two idle connections
	// per host, and orders placed call the catalog (past its cache) many
	// at once.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	return &CatalogClient{baseURL: strings.TrimSuffix(baseURL, "/"), client: &http.Client{Timeout: timeout, Transport: transport}}
}

// maxCatalogResponse bounds what is read of one catalog answer.
const maxCatalogResponse = 4 << 20

// Products fetches the products with ids in one call, by id; ids the catalog
// does not know are absent. Any failure wraps ErrCatalogUnavailable.
func (c *CatalogClient) Products(ctx context.Context, ids []string) (map[string]Product, error) {
	u := c.baseURL + "/products?" + url.Values{"ids": {strings.Join(ids, ",")}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCatalogUnavailable, err)
	}
	req.Header.Set("Accept", "application/json")
	if id := logging.CorrelationID(ctx); id != "" {
		req.Header.Set(web.CorrelationIDHeader, id)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCatalogUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: GET /products answered %s", ErrCatalogUnavailable, resp.Status)
	}
	var list []Product
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxCatalogResponse)).Decode(&list); err != nil {
		return nil, fmt.Errorf("%w: decode products: %w", ErrCatalogUnavailable, err)
	}
	byID := make(map[string]Product, len(list))
	for _, p := range list {
		byID[strings.ToLower(p.ID)] = p
	}
	return byID, nil
}
