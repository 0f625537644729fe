package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"
)

// The pages, each its file in templates/ with the layout and the
// fragments around it.
var pageNames = []string{"orders", "order", "kitchen", "payments", "queues", "faults"}

func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles,
			"templates/layout.html", "templates/fragments.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"age":      age,
	"since":    func(t time.Time) string { return age(time.Since(t)) },
	"clock":    func(t time.Time) string { return t.Local().Format("15:04:05.000") },
	"lower":    strings.ToLower,
	"short":    short,
	"actions":  func() []string { return []string{"stop", "start", "restart", "pause", "resume"} },
	"verbsFor": verbsFor,
	// pngData is a base64 PNG (a PIX QR code) as an image's source.
	"pngData": func(b64 string) template.URL { return template.URL("data:image/png;base64," + b64) },
}

// age says a duration as a person reads it: 850ms, 12s, 3m05s, 2h10m.
func age(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// page is what every page's template gets: its title, the navigation's
// current entry, a message to show (the outcome of the last action), and
// the page's own data.
type page struct {
	Title  string
	Nav    string
	Notice string
	Alert  string
	Data   any
}

// render writes the page name; a template that fails is a 500 naming why
// (the console's own bug, not the system's).
func (c *Console) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	if n := r.URL.Query().Get("notice"); n != "" {
		p.Notice = n
	}
	if a := r.URL.Query().Get("alert"); a != "" {
		p.Alert = a
	}
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		c.cfg.Log.Error("console page", "page", name, "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// fragment renders the template name of the page page into a string.
func (c *Console) fragment(pageName, name string, data any) (string, error) {
	var buf bytes.Buffer
	err := c.pages[pageName].ExecuteTemplate(&buf, name, data)
	return buf.String(), err
}

// back answers an action by sending the browser back to where it came
// from (or to fallback), with the outcome to show there.
func back(w http.ResponseWriter, r *http.Request, fallback string, err error, notice string) {
	to := r.FormValue("back")
	if to == "" || !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") {
		to = fallback
	}
	to, _, _ = strings.Cut(to, "?")
	key, msg := "notice", notice
	if err != nil {
		key, msg = "alert", err.Error()
	}
	http.Redirect(w, r, to+"?"+key+"="+template.URLQueryEscaper(msg), http.StatusSeeOther)
}
