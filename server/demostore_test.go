package server_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/demo"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// demoDatabase is a SQLite database migrated and seeded with the demo data
// once per test process (seeding under -race takes seconds); each fixture
// opens a copy of it.
var demoDatabase struct {
	once sync.Once
	dir  string
	orgs []demo.Org
	err  error
}

// sqliteFiles are the files of a SQLite store in its data directory.
var sqliteFiles = []string{"shopfloor.db", "shopfloor.db-wal", "shopfloor.db-shm"}

// openDemoStore opens a store on a copy of the demo database, closed when
// the test ends, and returns it with the demo organizations' credentials.
func openDemoStore(tb testing.TB) (*sqlstore.Store, []demo.Org) {
	tb.Helper()
	ctx := context.Background()
	demoDatabase.once.Do(func() {
		demoDatabase.dir, demoDatabase.err = os.MkdirTemp("", "server-demo-")
		if demoDatabase.err != nil {
			return
		}
		store, err := sqlstore.OpenSQLite(ctx, demoDatabase.dir)
		if err != nil {
			demoDatabase.err = err
			return
		}
		demoDatabase.orgs, err = demo.Seed(ctx, store, nil)
		demoDatabase.err = errors.Join(err, store.Close())
	})
	if demoDatabase.err != nil {
		tb.Fatal(demoDatabase.err)
	}
	dir := tb.TempDir()
	for _, name := range sqliteFiles {
		raw, err := os.ReadFile(filepath.Join(demoDatabase.dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	store, err := sqlstore.OpenSQLite(ctx, dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	return store, demoDatabase.orgs
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDatabase.dir != "" {
		os.RemoveAll(demoDatabase.dir)
	}
	os.Exit(code)
}

// fixtureTimeout is the fixtures' request deadline: their set-up requests
// write hundreds of rows at once, which on a loaded machine under -race
// takes longer than the default 30 s (no test asserts the deadline).
const fixtureTimeout = 5 * time.Minute
