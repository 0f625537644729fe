package catalog

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/comanda/comanda/services/platform/ids"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/web"
)

// Limits on what a product may hold.
const (
	MaxNameLength        = 120
	MaxDescriptionLength = 1000
	MaxImageURLLength    = 2048
	MinPreparationTime   = 1
	MaxPreparationTime   = 240
)

// Category groups products on the menu.
type Category struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Product is one dish on the menu, with its category's name.
type Product struct {
	ID              string      `json:"id"`
	Name            string      `json:"name"`
	Description     string      `json:"description"`
	Price           money.Cents `json:"price"`
	ImageURL        string      `json:"image_url"`
	PreparationTime int         `json:"preparation_time"`
	CategoryID      string      `json:"category_id"`
	Category        string      `json:"category"`
	CreatedAt       time.Time   `json:"-"`
	UpdatedAt       time.Time   `json:"-"`
}

// ProductSpec is what an employee sets on a product, whole: a create or a
// full replacement.
type ProductSpec struct {
	Name            string
	Description     string
	Price           money.Cents
	ImageURL        string
	PreparationTime int // minutes
	CategoryID      string
}

// Normalize returns s trimmed, with a canonical category id, or the first
// field that breaks a rule. Whether the category exists is the store's to say.
func (s ProductSpec) Normalize() (ProductSpec, error) {
	s.Name = strings.TrimSpace(s.Name)
	s.Description = strings.TrimSpace(s.Description)
	s.ImageURL = strings.TrimSpace(s.ImageURL)
	if err := s.checkText(); err != nil {
		return ProductSpec{}, err
	}
	checks := []func(*ProductSpec) error{checkName, checkDescription, checkPrice, checkImageURL, checkPreparationTime, checkCategoryID}
	for _, check := range checks {
		if err := check(&s); err != nil {
			return ProductSpec{}, err
		}
	}
	return s, nil
}

func checkName(s *ProductSpec) error {
	n := utf8.RuneCountInString(s.Name)
	if n == 0 {
		return invalid("name", "is required")
	}
	if n > MaxNameLength {
		return invalid("name", "must be at most %d characters", MaxNameLength)
	}
	return nil
}

// checkText holds the trimmed text fields to the platform's rule for client
// text; only the description may span lines.
func (s ProductSpec) checkText() error {
	fields := []struct {
		name, value string
		multiline   bool
	}{
		{"name", s.Name, false},
		{"description", s.Description, true},
		{"image_url", s.ImageURL, false},
	}
	for _, f := range fields {
		if err := web.CheckText(f.value, f.multiline); err != nil {
			return invalid(f.name, "%v", err)
		}
	}
	return nil
}

func checkDescription(s *ProductSpec) error {
	if utf8.RuneCountInString(s.Description) > MaxDescriptionLength {
		return invalid("description", "must be at most %d characters", MaxDescriptionLength)
	}
	return nil
}

func checkPrice(s *ProductSpec) error {
	if s.Price <= 0 {
		return invalid("price", "must be greater than zero")
	}
	if s.Price > money.Max {
		return invalid("price", "must be at most %s", money.Max)
	}
	return nil
}

func checkImageURL(s *ProductSpec) error {
	if s.ImageURL == "" {
		return nil
	}
	if len(s.ImageURL) > MaxImageURLLength {
		return invalid("image_url", "must be at most %d characters", MaxImageURLLength)
	}
	u, err := url.Parse(s.ImageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("image_url", "must be empty or an absolute http(s) URL")
	}
	return nil
}

func checkPreparationTime(s *ProductSpec) error {
	if s.PreparationTime < MinPreparationTime || s.PreparationTime > MaxPreparationTime {
		return invalid("preparation_time", "must be between %d and %d minutes", MinPreparationTime, MaxPreparationTime)
	}
	return nil
}

func checkCategoryID(s *ProductSpec) error {
	if s.CategoryID == "" {
		return invalid("category_id", "is required")
	}
	id, ok := parseUUID(s.CategoryID)
	if !ok {
		return invalid("category_id", "must be a UUID")
	}
	s.CategoryID = id
	return nil
}

// parseUUID accepts only the canonical 36-character form and returns it in
// lower case.
func parseUUID(raw string) (string, bool) {
	id, err := ids.Parse(raw)
	return id, err == nil
}
