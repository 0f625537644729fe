package mercadopago_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

func persistentFake(t *testing.T, path string, clock *testClock) *mercadopago.Fake {
	t.Helper()
	f, err := mercadopago.New(mercadopago.Options{
		AccessToken: testToken, WebhookSecret: testSecret, Now: clock.Now, PersistPath: path,
		RetrySchedule: []time.Duration{10 * time.Millisecond},
	})
	if err != nil {
		t.Fatalf("new fake on %s: %v", path, err)
	}
	t.Cleanup(f.Close)
	return f
}

func TestPersistenceRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "fake-state.json")
	clock := newTestClock()
	hook := newReceiver(t, always(http.StatusOK))
	first := persistentFake(t, path, clock)
	srv := serve(t, first)
	ref := "order-" + uuid.NewString()
	key, body := uuid.NewString(), pixRequest(ref, hook.url())
	created := createdID(t, srv, key, body)
	if _, err := first.Approve(context.Background(), created); err != nil {
		t.Fatal(err)
	}
	if _, err := first.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the state file to hold the approval", func() bool {
		raw, _ := os.ReadFile(path)
		return strings.Contains(string(raw), `"status": "approved"`)
	})
	first.Close()

	second := persistentFake(t, path, clock)
	srv = serve(t, second)
	got, ok := second.Payment(created)
	if !ok || got.Status != mercadopago.StatusApproved || got.ExternalReference != ref {
		t.Fatalf("after a restart: %+v, %v; want the approved payment", got, ok)
	}
	if again := createdID(t, srv, key, body); again != created {
		t.Errorf("same key after a restart created %d; want %d", again, created)
	}
	if next := createdID(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), "")); next <= created {
		t.Errorf("new payment id %d; want ids to go on after %d", next, created)
	}
	if offset := second.Clock().Offset; time.Duration(offset) != time.Minute {
		t.Errorf("clock offset after a restart = %s; want 1m", offset)
	}
	before := len(hook.requests())
	if _, err := second.Resend(context.Background(), created, mercadopago.ResendOptions{}); err != nil {
		t.Fatalf("resend after a restart: %v", err)
	}
	eventually(t, 30*time.Second, "the resent approval", func() bool { return len(hook.requests()) == before+1 })
	var resent webhookJSON
	if err := json.Unmarshal(hook.requests()[before].body, &resent); err != nil || resent.Action != "payment.updated" {
		t.Errorf("resent = %s (%v); want the approval's notification", hook.requests()[before].body, err)
	}
}

func TestPersistenceRefusesABadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"garbage.json": "{not json", "future.json": `{"version":99}`} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: testSecret, PersistPath: path}); err == nil {
			f.Close()
			t.Errorf("%s: New succeeded; want an error naming the file", name)
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
}
