package mercadopago

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// stateVersion is the state file's format; a file of another version is
// refused rather than misread.
const stateVersion = 1

// stateFile is the fake's state as PersistPath keeps it. The delivery log,
// the faults and the auto-approve mode are not kept: they describe a run,
// and the options of the next run decide them.
type stateFile struct {
	Version     int       `json:"version"`
	SavedAt     time.Time `json:"saved_at"`
	ClockOffset Duration  `json:"clock_offset"`
	storeState
	sentState
}

// sentState is what the webhook sender must remember to send again.
type sentState struct {
	NextNotificationID int64               `json:"next_notification_id"`
	Notifications      []savedNotification `json:"notifications"`
}

// savedNotification is a notification as the state file keeps it.
type savedNotification struct {
	ID        int64           `json:"id"`
	PaymentID int64           `json:"payment_id"`
	Action    string          `json:"action"`
	URL       string          `json:"url"`
	Body      json.RawMessage `json:"body"`
	Variants  []Variant       `json:"variants,omitempty"`
}

// export returns every notification sent, oldest first per payment.
func (w *webhookSender) export() sentState {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := sentState{NextNotificationID: w.nextID}
	for _, ns := range w.sent {
		for _, n := range ns {
			st.Notifications = append(st.Notifications, savedNotification{n.id, n.paymentID, n.action, n.url, n.body, n.variants})
		}
	}
	return st
}

func (w *webhookSender) restore(st sentState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.nextID = max(w.nextID, st.NextNotificationID)
	for _, n := range st.Notifications {
		w.sent[n.PaymentID] = append(w.sent[n.PaymentID], newNotification(n.ID, n.PaymentID, n.Action, n.URL, n.Body, n.Variants))
		w.nextID = max(w.nextID, n.ID+1)
	}
}

// persister writes the state file whenever the fake changes; bursts of
// changes are written once.
type persister struct {
	path     string
	snapshot func() stateFile
	onError  func(error)
	dirty    chan struct{}
	mu       sync.Mutex // one write at a time
}

// startPersisting loads path if it exists, then keeps it up to date.
func (f *Fake) startPersisting(path string) error {
	if err := f.load(path); err != nil {
		return err
	}
	f.persist = &persister{
		path:     path,
		snapshot: f.snapshot,
		onError:  func(err error) { f.log.Error("state file not written", "path", path, "error", err) },
		dirty:    make(chan struct{}, 1),
	}
	if err := f.persist.write(); err != nil {
		return err
	}
	f.bg.run(f.persist.loop)
	return nil
}

func (f *Fake) load(path string) error {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mercadopago fake: read state file: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("mercadopago fake: state file %s is not valid JSON: %w", path, err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("mercadopago fake: state file %s has version %d, want %d", path, st.Version, stateVersion)
	}
	f.store.restore(st.storeState)
	f.webhooks.restore(st.sentState)
	f.clock.setOffset(time.Duration(st.ClockOffset))
	f.log.Info("state loaded", "path", path, "payments", len(st.Payments))
	return nil
}

// snapshot reads the whole state; the notifications are read under the
// store's lock, so that they match the payments.
func (f *Fake) snapshot() stateFile {
	var sent sentState
	stored := f.store.export(func() { sent = f.webhooks.export() })
	return stateFile{
		Version:     stateVersion,
		SavedAt:     time.Now().UTC(),
		ClockOffset: Duration(f.clock.currentOffset()),
		storeState:  stored,
		sentState:   sent,
	}
}

func (p *persister) changed() {
	select {
	case p.dirty <- struct{}{}:
	default: // a write is already due; it will see this change too
	}
}

func (p *persister) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.dirty:
			if err := p.write(); err != nil {
				p.onError(err)
			}
		}
	}
}

// flush writes the state once more, for Close.
func (p *persister) flush() {
	if err := p.write(); err != nil {
		p.onError(err)
	}
}

// write replaces the file atomically: a reader, or a crash, sees the old
// state or the new one, never half of one.
func (p *persister) write() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	raw, err := json.MarshalIndent(p.snapshot(), "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p.path), filepath.Base(p.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write state file: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write state file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write state file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		return fmt.Errorf("write state file: %w", err)
	}
	return nil
}
