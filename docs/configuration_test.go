package docs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/comanda/comanda/harness/gateway"
	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/dbinit"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/production"
)

// configDoc is the document these tests hold to the code. Its "## "
// headings split it into parts; in each, the first cell of a table row
// names what the row documents.
const configDoc = "configuration.md"

// The parts of configDoc: the services' settings, the tools' settings and
// flags, and the variables the Makefile takes.
const (
	servicesPart = "## Services"
	toolsPart    = "## Tools"
	makePart     = "## make"
)

// Every program that ships in an image, and the local gateway that stands
// in for API Gateway, with the struct its main fills from the environment.
var serviceConfigs = map[string]any{
	"auth": auth.Config{}, "catalog": catalog.Config{}, "order": order.Config{},
	"payment": payment.Config{}, "production": production.Config{},
	"gateway": gateway.Config{}, "dbinit": dbinit.Config{},
}

// The commands whose flags configDoc lists, each under a "### " heading
// that names its directory.
var flagCommands = []string{"harness/cmd/loadtest", "harness/cmd/soak"}

// Every setting a service's Config reads is documented, and every setting
// documented for the services is one some Config reads.
func TestConfigurationDocumentsEveryServiceSetting(t *testing.T) {
	t.Parallel()
	read := map[string]bool{}
	for _, cfg := range serviceConfigs {
		for _, name := range config.Names(cfg) {
			read[name] = true
		}
	}
	// dbinit reads one password per database role, named after the role.
	read[dbinit.PasswordVariable("<role>")] = true
	documented := rowNames(readRows(t), func(r row) bool { return r.part == servicesPart && isSetting(r.name) })
	compare(t, "a service's Config", read, documented)
}

// gatewaySource is the local gateway's, whose settings are documented with
// the services' (serviceConfigs), not as a tool's.
var gatewaySource = filepath.Join("..", "harness", "gateway") + string(filepath.Separator)

// Every variable the harness, its commands, the feature suite and the fake
// read is documented, and nothing documented for them is stale.
func TestConfigurationDocumentsEveryToolSetting(t *testing.T) {
	t.Parallel()
	read := map[string]bool{}
	for _, dir := range []string{"../harness", "../features", "../fakes"} {
		for _, file := range goFiles(t, dir) {
			if strings.HasPrefix(file, gatewaySource) {
				continue
			}
			for _, name := range environmentReads(t, file) {
				read[name] = true
			}
		}
	}
	documented := rowNames(readRows(t), func(r row) bool { return r.part == toolsPart && isSetting(r.name) })
	compare(t, "the harness, its commands, the feature suite or the fake", read, documented)
}

// The load tool's and the soak's flags are documented, each under its
// command, and no documented flag is gone.
func TestConfigurationDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	rows := readRows(t)
	for _, cmd := range flagCommands {
		declared := map[string]bool{}
		for _, file := range goFiles(t, filepath.Join("..", cmd)) {
			if !strings.HasSuffix(file, "_test.go") {
				for _, name := range flagNames(t, file) {
					declared["-"+name] = true
				}
			}
		}
		if len(declared) == 0 {
			t.Errorf("%s: no flags found; has its flag set changed shape?", cmd)
		}
		documented := rowNames(rows, func(r row) bool {
			return r.part == toolsPart && strings.Contains(r.section, cmd) && strings.HasPrefix(r.name, "-")
		})
		compare(t, cmd+"'s flag set", declared, documented)
	}
}

// Every make variable documented is one the Makefile (or the Terraform
// scripts it runs) uses.
func TestConfigurationMakeVariablesExist(t *testing.T) {
	t.Parallel()
	var sources strings.Builder
	for _, f := range []string{"../Makefile", "../terraform/env.sh"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources.Write(b)
	}
	for _, r := range readRows(t) {
		if r.part != makePart || !isSetting(r.name) {
			continue
		}
		if !regexp.MustCompile(`\b` + r.name + `\b`).MatchString(sources.String()) {
			t.Errorf("%s:%d: %s is used by neither the Makefile nor terraform/env.sh", configDoc, r.line, r.name)
		}
	}
}

// compare reports what the code has but the document lacks, and the reverse.
func compare(t *testing.T, reader string, read map[string]bool, documented map[string]int) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(read)) {
		if _, ok := documented[name]; !ok {
			t.Errorf("%s has %s, which %s does not document there", reader, name, configDoc)
		}
	}
	for name, line := range documented {
		if !read[name] {
			t.Errorf("%s:%d: %s is documented, but %s has no such thing", configDoc, line, name, reader)
		}
	}
}

// row is one table row of configDoc: the name in its first cell, the part
// and the "### " section it is in, and its line.
type row struct {
	part, section, name string
	line                int
}

var backticked = regexp.MustCompile("`([^`]+)`")

// readRows reads configDoc's table rows, one per name in a first cell.
func readRows(t *testing.T) []row {
	t.Helper()
	b, err := os.ReadFile(configDoc)
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	var part, section string
	for i, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			part, section = line, ""
			for _, p := range []string{servicesPart, toolsPart, makePart} {
				if strings.HasPrefix(line, p) {
					part = p
				}
			}
		case strings.HasPrefix(line, "### "):
			section = line
		case strings.HasPrefix(line, "|"):
			first := strings.SplitN(strings.Trim(line, "|"), "|", 2)[0]
			for _, m := range backticked.FindAllStringSubmatch(first, -1) {
				rows = append(rows, row{part: part, section: section, name: m[1], line: i + 1})
			}
		}
	}
	return rows
}

// rowNames maps the names of the rows keep picks to the line of the first.
func rowNames(rows []row, keep func(row) bool) map[string]int {
	names := map[string]int{}
	for _, r := range rows {
		if _, seen := names[r.name]; keep(r) && !seen {
			names[r.name] = r.line
		}
	}
	return names
}

var settingName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*(<[A-Z]+>)?$`)

func isSetting(name string) bool { return settingName.MatchString(name) }

// goFiles lists the Go files under dir, tests included.
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func parseGo(t *testing.T, file string) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// environmentReads lists the variables file reads: its struct fields'
// env tags, and the constant names it passes to os.Getenv or os.LookupEnv.
func environmentReads(t *testing.T, file string) []string {
	t.Helper()
	var names []string
	ast.Inspect(parseGo(t, file), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				tag, _ := strconv.Unquote(n.Tag.Value)
				if env, ok := reflect.StructTag(tag).Lookup("env"); ok {
					names = append(names, strings.TrimSpace(strings.Split(env, ",")[0]))
				}
			}
		case *ast.CallExpr:
			if isCall(n, "os", "Getenv", "LookupEnv") {
				if s, ok := stringArg(n, 0); ok {
					names = append(names, s)
				}
			}
		}
		return true
	})
	return names
}

// flagNames lists the flags file declares on a flag set named fs.
func flagNames(t *testing.T, file string) []string {
	t.Helper()
	var names []string
	ast.Inspect(parseGo(t, file), func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !isCall(call, "fs", sel.Sel.Name) {
			return true
		}
		arg := 0
		if strings.HasSuffix(sel.Sel.Name, "Var") {
			arg = 1 // StringVar(&v, "name", …), Var(value, "name", …)
		}
		if s, ok := stringArg(call, arg); ok && sel.Sel.Name != "Parse" && sel.Sel.Name != "Lookup" {
			names = append(names, s)
		}
		return true
	})
	return names
}

// isCall reports whether call is pkg.fn(…) for one of fns.
func isCall(call *ast.CallExpr, pkg string, fns ...string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == pkg && slices.Contains(fns, sel.Sel.Name)
}

func stringArg(call *ast.CallExpr, i int) (string, bool) {
	if i >= len(call.Args) {
		return "", false
	}
	lit, ok := call.Args[i].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
