package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// Many clients work one run at once: every step has a required field per
// client; each client starts each step (unless started), enters its own
// field and completes the step once every field is entered, re-reading the
// run on a 409. Every acknowledged value is present afterwards, every step
// and the run are COMPLETE: no write was lost and none was applied twice.
func TestRunConcurrentClients(t *testing.T) { onEngines(t, testRunConcurrentClients) }

func testRunConcurrentClients(t *testing.T, s *testServer) {
	const clients, steps = 4, 6
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	spec := procedureSpec{}
	for range steps {
		st := stepSpec{}
		for range clients {
			st.fields = append(st.fields, fieldSpec{typ: "STRING", required: true})
		}
		spec.steps = append(spec.steps, st)
	}
	procID, _ := releasedProcedure(t, s, tok, spec)
	run := createRunSelecting(t, s, tok, procID, `id`)

	// call runs one operation; it reports whether it answered 409.
	call := func(query string, vars map[string]any, out string, v any) (conflict bool, err error) {
		r := s.gql(t, tok, query, vars)
		switch {
		case r.Status != http.StatusOK:
			return false, fmt.Errorf("HTTP %d %s", r.Status, r.Raw)
		case len(r.Errors) == 1 && r.Errors[0].Extensions.Status == http.StatusConflict:
			return true, nil
		case len(r.Errors) > 0:
			return false, fmt.Errorf("%s", r.Raw)
		}
		if v != nil {
			return false, json.Unmarshal(r.Data[out], v)
		}
		return false, nil
	}
	read := func(i int) (runStepRef, error) {
		var out runRef
		_, err := call(`query($id: ID!) { run(id: $id) { steps { id _etag status fields { id _etag value } } } }`, map[string]any{"id": run.ID}, "run", &out)
		if err != nil {
			return runStepRef{}, err
		}
		return out.Steps[i], nil
	}
	var mu sync.Mutex
	acked := map[int64]string{}
	var conflicts atomic.Int64
	work := func(c, i int) error {
		for { // start the step, unless a client did
			st, err := read(i)
			if err != nil || st.Status != shopfloor.RunTodo {
				break
			}
			conflict, err := call(updateRunStepQuery, map[string]any{"input": map[string]any{"id": st.ID, "status": "IN_PROGRESS", "etag": st.Etag}}, "", nil)
			if err != nil {
				return err
			}
			if !conflict {
				break
			}
			conflicts.Add(1)
		}
		for { // enter this client's field
			st, err := read(i)
			if err != nil {
				return err
			}
			f, value := st.Fields[c], fmt.Sprintf("client %d step %d", c, i)
			conflict, err := call(updateFieldQuery, map[string]any{"input": map[string]any{"id": f.ID, "value": value, "etag": f.Etag}}, "", nil)
			if err != nil {
				return err
			}
			if !conflict {
				mu.Lock()
				acked[f.ID] = value
				mu.Unlock()
				break
			}
			conflicts.Add(1)
		}
		for { // complete the step once every field is entered
			st, err := read(i)
			if err != nil {
				return err
			}
			for _, f := range st.Fields {
				if f.Value == nil {
					return nil // the client entering it completes the step
				}
			}
			if st.Status == shopfloor.RunComplete {
				return nil
			}
			conflict, err := call(updateRunStepQuery, map[string]any{"input": map[string]any{"id": st.ID, "status": "COMPLETE", "etag": st.Etag}}, "", nil)
			if err != nil { // another client completed the run's last step first: the run is read-only
				if now, rerr := read(i); rerr == nil && now.Status == shopfloor.RunComplete {
					return nil
				}
				return err
			}
			if !conflict {
				return nil
			}
			conflicts.Add(1)
		}
	}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range steps {
				if err := work(c, i); err != nil { // all in the same order: they collide
					t.Errorf("client %d: %v", c, err)
					return
				}
			}
		})
	}
	wg.Wait()

	done := readRun(t, s, tok, run.ID)
	if done.Status != shopfloor.RunComplete || done.CompletedAt == nil {
		t.Fatalf("run %s after every step was completed", done.Status)
	}
	entered := 0
	for _, st := range done.Steps {
		if st.Status != shopfloor.RunComplete {
			t.Errorf("step %d is %s", st.ID, st.Status)
		}
		for _, f := range st.Fields {
			if want, ok := acked[f.ID]; !ok || f.Value != want {
				t.Errorf("field %d holds %v; acknowledged %q", f.ID, f.Value, want)
			}
			entered++
		}
	}
	if entered != clients*steps || len(acked) != clients*steps {
		t.Fatalf("%d fields, %d acknowledged; want %d", entered, len(acked), clients*steps)
	}
	t.Logf("%d clients, %d steps, %d fields: %d conflicts (409) re-read and retried", clients, steps, entered, conflicts.Load())
}
