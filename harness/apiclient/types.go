package apiclient

import (
	"encoding/json"
	"time"
)

// Token is the answer of POST /auth/token.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Customer    *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"customer"`
}

// JWKS is the key set that verifies tokens.
type JWKS struct {
	Keys []struct {
		KeyType   string `json:"kty"`
		KeyID     string `json:"kid"`
		Use       string `json:"use"`
		Algorithm string `json:"alg"`
		N         string `json:"n"`
		E         string `json:"e"`
	} `json:"keys"`
}

// Customer is a registered customer.
type Customer struct {
	ID    string `json:"id"`
	TaxID string `json:"tax_id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Category is a menu category.
type Category struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Product is a menu item. Price stays a json.Number so money is compared exactly.
type Product struct {
	ID              string      `json:"id"`
	Name            string      `json:"name"`
	Description     string      `json:"description"`
	Price           json.Number `json:"price"`
	ImageURL        string      `json:"image_url"`
	PreparationTime int         `json:"preparation_time"`
	CategoryID      string      `json:"category_id"`
	Category        string      `json:"category"`
}

// OrderLine is one line of a new order.
type OrderLine struct {
	ProductID string `json:"product_id"`
	Quantity  int    `json:"quantity"`
}

// Order is an order as the API shows it.
type Order struct {
	ID       string `json:"id"`
	Customer struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"customer"`
	Status string      `json:"status"`
	Total  json.Number `json:"total"`
	Items  []struct {
		ProductID string      `json:"product_id"`
		Name      string      `json:"name"`
		UnitPrice json.Number `json:"unit_price"`
		Quantity  int         `json:"quantity"`
		Subtotal  json.Number `json:"subtotal"`
	} `json:"items"`
	Payment *struct {
		ID           string    `json:"id"`
		Status       string    `json:"status"`
		QRCode       string    `json:"qr_code"`
		QRCodeBase64 string    `json:"qr_code_base64"`
		TicketURL    string    `json:"ticket_url"`
		ExpiresAt    time.Time `json:"expires_at"`
	} `json:"payment"`
	History []struct {
		Status string    `json:"status"`
		At     time.Time `json:"at"`
	} `json:"history"`
	CancellationReason string    `json:"cancellation_reason"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Payment is a payment as the API shows it.
type Payment struct {
	ID                string      `json:"id"`
	OrderID           string      `json:"order_id"`
	Status            string      `json:"status"`
	Amount            json.Number `json:"amount"`
	Provider          string      `json:"provider"`
	ProviderPaymentID int64       `json:"provider_payment_id"`
	QRCode            string      `json:"qr_code"`
	QRCodeBase64      string      `json:"qr_code_base64"`
	TicketURL         string      `json:"ticket_url"`
	ExpiresAt         time.Time   `json:"expires_at"`
	CreatedAt         time.Time   `json:"created_at"`
	UpdatedAt         time.Time   `json:"updated_at"`
}

// KitchenOrder is a kitchen record.
type KitchenOrder struct {
	ID           string `json:"id"`
	OrderID      string `json:"order_id"`
	Status       string `json:"status"`
	CustomerName string `json:"customer_name"`
	Items        []struct {
		Name     string `json:"name"`
		Quantity int    `json:"quantity"`
	} `json:"items"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
