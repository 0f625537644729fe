package harness

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// doorTo opens a door of service to an emulator answering with h.
func doorTo(t *testing.T, h http.HandlerFunc) *awsDoor {
	t.Helper()
	p, err := newAWSProxy(h, "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	d := p.open("order")
	t.Cleanup(func() { p.shut(d) })
	return d
}

func call(t *testing.T, d *awsDoor, body string) (*http.Response, error) {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), http.MethodPost, d.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Amz-Target", "AmazonSQS.ReceiveMessage")
	return d.Do(r)
}

func TestDoorCarriesACallToTheEmulatorAndBack(t *testing.T) {
	d := doorTo(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, r.Host+" "+r.Header.Get("X-Amz-Target")+" "+string(body))
	})
	res, err := call(t, d, `{"QueueUrl":"q"}`)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusTeapot || res.Header.Get("Content-Type") != "application/x-amz-json-1.0" ||
		string(got) != "order.aws-door.invalid AmazonSQS.ReceiveMessage {\"QueueUrl\":\"q\"}" {
		t.Errorf("answer %d %v %q", res.StatusCode, res.Header, got)
	}
}

// A killed service's calls fail, the one under way (a long poll) at once.
func TestSlammedDoorFailsCallsUnderWayAndToCome(t *testing.T) {
	polling := make(chan struct{})
	d := doorTo(t, func(w http.ResponseWriter, r *http.Request) {
		close(polling)
		select { // a long poll that finds nothing
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
		_, _ = io.WriteString(w, `{"Messages":[]}`)
	})
	failed := make(chan error, 1)
	go func() {
		_, err := call(t, d, "{}")
		failed <- err
	}()
	<-polling
	d.slam()
	select {
	case err := <-failed:
		if !errors.Is(err, errDoorClosed) {
			t.Errorf("the call under way = %v; want errDoorClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the call under way still runs after the door was slammed")
	}
	if _, err := call(t, d, "{}"); !errors.Is(err, errDoorClosed) {
		t.Errorf("a call after the slam = %v; want errDoorClosed", err)
	}
}

// The emulator failing a call must not take the whole harness down.
func TestDoorTurnsAnEmulatorPanicIntoAFailedCall(t *testing.T) {
	d := doorTo(t, func(http.ResponseWriter, *http.Request) { panic("boom") })
	if _, err := call(t, d, "{}"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("call = %v; want the emulator's failure", err)
	}
}
