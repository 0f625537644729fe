// Package catalog is the menu service: categories and products in its own
// PostgreSQL database, read by anyone (customers at the totem, the order
// service pricing an order) and kept up by employees.
package catalog
