package config

import (
	"reflect"
	"strings"
)

// Names lists the environment settings cfg (a Config struct or a pointer to
// one) reads, nested structs included, in field order: what its
// documentation and its deployment must name.
func Names(cfg any) []string {
	t := reflect.TypeOf(cfg)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return names(t)
}

func names(t reflect.Type) []string {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for f := range t.Fields() {
		if tag, ok := f.Tag.Lookup("env"); ok {
			out = append(out, strings.TrimSpace(strings.Split(tag, ",")[0]))
		}
		out = append(out, names(f.Type)...)
	}
	return out
}
