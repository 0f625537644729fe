package features

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
)

// inProcessTag marks the scenarios only the in-process system can run:
// those whose faults pass through its door to AWS (failing or duplicating
// calls, killing a service at its next write), and those that read the
// telemetry it records. Against containers the services call the emulator
// directly, as in AWS, and keep their telemetry to themselves; these are
// skipped.
const inProcessTag = "@in-process"

// scenariosTagged lists, as "file:line name", the scenarios under dir that
// carry tag, on themselves or on their feature, as godog reads them.
func scenariosTagged(dir, tag string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".feature" {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		ids := (&messages.Incrementing{}).NewId
		doc, err := gherkin.ParseGherkinDocument(f, ids)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for _, p := range gherkin.Pickles(*doc, path, ids) {
			if slices.ContainsFunc(p.Tags, func(t *messages.PickleTag) bool { return t.Name == tag }) {
				found = append(found, path+":"+strconv.Itoa(line(doc, p))+" "+p.Name)
			}
		}
		return nil
	})
	return found, err
}

// line is where pickle p's scenario starts in doc.
func line(doc *messages.GherkinDocument, p *messages.Pickle) int {
	for _, child := range doc.Feature.Children {
		if s := child.Scenario; s != nil && slices.Contains(p.AstNodeIds, s.Id) {
			return int(s.Location.Line)
		}
	}
	return 0
}
