package docs_test

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the repository, seen from this package.
const root = ".."

// thisFile spells out the patterns below, so it is not searched for them.
const thisFile = "docs/references_test.go"

// textExtensions and textNames pick the files a reference could hide in.
var (
	textExtensions = []string{".go", ".md", ".tf", ".hcl", ".feature", ".yaml", ".yml", ".json", ".sh", ".sql", ".example"}
	textNames      = []string{"Makefile", "Dockerfile", ".gitignore", ".dockerignore", ".terraformrc", "run"}
)

// outsideReference is one kind of pointer out of the repository. Its
// pattern is tried only on lines that hold one of its hints (in lower
// case), which keeps the scan quick.
type outsideReference struct {
	what    string
	hints   []string
	pattern *regexp.Regexp
}

var outsideReferences = []outsideReference{
	{"a path into the folder the project was steered from", []string{"shared"},
		regexp.MustCompile(`(\.\./|/work/)shared\b|(^|[\s"'(\[` + "`" + `])shared/`)},
	{"an absolute path on a development machine", []string{"/work/"},
		regexp.MustCompile(`(^|[^\w.])/work/`)},
	{"an issue tracker's issue", []string{"issue", "#", "pull request"},
		regexp.MustCompile(`(?i)\bissues?\s*#?\d+|\b(the|this|that)\s+issue\b|\b(fix(es|ed)?|close[sd]?|resolve[sd]?|see)\s+#\d+|\bpull request\b`)},
	{"a pull request", []string{"pr"},
		regexp.MustCompile(`\bPR\s*#?\d+`)},
	{"a review held elsewhere", []string{"review"},
		regexp.MustCompile(`(?i)\b(first|second|third|last|latest|previous|earlier|code|design|security|the|this|that)\s+reviews?\b|\breviewers?\b|\breview\s+(notes|comments|findings|feedback|round)\b`)},
}

// found returns what of ref line holds, or "".
func (ref outsideReference) found(line, lower string) string {
	for _, h := range ref.hints {
		if strings.Contains(lower, h) {
			return ref.pattern.FindString(line)
		}
	}
	return ""
}

// markdownName is a Markdown file named in text: a path or a bare name.
var markdownName = regexp.MustCompile(`(?:[\w.-]+/)*[\w.-]*[\w-]\.md\b`)

// No file of the repository refers to anything outside it: no path into
// the folder its design was first written in, no issue numbers, no
// reviews held elsewhere, and every Markdown file it names is in it. The
// repository must read whole on its own, as on GitHub.
func TestNoFileRefersOutsideTheRepository(t *testing.T) {
	t.Parallel()
	files := repositoryFiles(t)
	present := map[string]bool{}
	basenames := map[string]bool{}
	for _, f := range files {
		present[f] = true
		basenames[path.Base(f)] = true
	}
	for _, f := range files {
		if f == thisFile || !isText(f) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if bytes.IndexByte(b, 0) >= 0 {
			continue
		}
		scan := bufio.NewScanner(bytes.NewReader(b))
		scan.Buffer(nil, 1<<20)
		for n := 1; scan.Scan(); n++ {
			line := scan.Text()
			lower := strings.ToLower(line)
			for _, ref := range outsideReferences {
				if m := ref.found(line, lower); m != "" {
					t.Errorf("%s:%d: %s (%q)", f, n, ref.what, strings.TrimSpace(m))
				}
			}
			if !strings.Contains(lower, ".md") {
				continue
			}
			for _, loc := range markdownName.FindAllStringIndex(line, -1) {
				name := line[loc[0]:loc[1]]
				if isURL(line, loc[0]) || resolves(name, f, present, basenames) {
					continue
				}
				t.Errorf("%s:%d: names %s, which is not in the repository", f, n, name)
			}
		}
	}
}

// repositoryFiles lists the files git tracks or would track (new ones
// included, so that work not yet committed is held to this too), or every
// file when git cannot say.
func repositoryFiles(t *testing.T) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err == nil {
		var files []string
		for f := range strings.SplitSeq(strings.TrimRight(string(out), "\x00"), "\x00") {
			// A file deleted from the work tree but not yet from the index.
			if _, err := os.Stat(filepath.Join(root, f)); err == nil {
				files = append(files, f)
			}
		}
		return files
	}
	t.Logf("git ls-files: %v; walking the tree instead", err)
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && slices.Contains([]string{".git", "bin", "tmp", "bench"}, rel) {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func isText(f string) bool {
	return f != "go.sum" && (slices.Contains(textExtensions, path.Ext(f)) || slices.Contains(textNames, path.Base(f)))
}

// isURL reports whether the name at i in line is part of a URL.
func isURL(line string, i int) bool {
	start := strings.LastIndexAny(line[:i], " \t\"'`(<[") + 1
	return strings.Contains(line[start:i+1], "://") || strings.HasPrefix(line[start:], "//")
}

// resolves reports whether name, met in file from, is a file of the
// repository: a path from the root or from from's directory, or a bare
// name that some file has.
func resolves(name, from string, present, basenames map[string]bool) bool {
	if !strings.Contains(name, "/") {
		return basenames[name]
	}
	return present[path.Clean(name)] || present[path.Join(path.Dir(from), name)]
}
