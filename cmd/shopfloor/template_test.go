package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// demoTemplate is a SQLite data directory that a server migrated and
// seeded with the demo data, once per test process; a server that needs
// the demo data starts on a copy of it, as `serve --data` does on an
// existing data directory. (Seeding under -race takes seconds per server.)
var demoTemplate struct {
	once sync.Once
	dir  string
	err  error
}

// seedTimeout bounds a start that migrates and seeds a new data directory,
// such as the template's (which the tests that need demo data wait for):
// on a loaded machine it takes much longer than a start on a copy.
const seedTimeout = 10 * time.Minute

// ownDataFlags are the flags that make serve keep its data elsewhere or
// seed none; a server started with one of them seeds (or not) itself.
var ownDataFlags = []string{"--database-url", "--no-demo", "--blob-url", "--data"}

// seedsFromTemplate reports whether a server started with extra can start
// on a copy of the demo template.
func seedsFromTemplate(extra []string) bool {
	return !slices.ContainsFunc(extra, func(arg string) bool { return slices.Contains(ownDataFlags, arg) })
}

// copyDemoTemplate fills the empty data directory dir with a copy of the
// demo template, building the template on first use.
func copyDemoTemplate(dir string) error {
	demoTemplate.once.Do(func() {
		demoTemplate.dir, demoTemplate.err = os.MkdirTemp("", "shopfloor-template-")
		if demoTemplate.err != nil {
			return
		}
		s, err := launchWithin(seedTimeout, demoTemplate.dir)
		if s != nil {
			err = errors.Join(err, s.stop())
		}
		if err == nil {
			err = analyze(demoTemplate.dir)
		}
		if err != nil {
			demoTemplate.err = fmt.Errorf("demo template: %w", err)
		}
	})
	if demoTemplate.err != nil {
		return demoTemplate.err
	}
	return copyDir(dir, demoTemplate.dir)
}

// analyze refreshes the planner's statistics of the seeded database, as
// serve does every hour, so that the PRAGMA optimize each copy's serve runs
// at start finds them current instead of analyzing every table again.
func analyze(dir string) error {
	store, err := sqlstore.OpenSQLite(context.Background(), dir)
	if err != nil {
		return err
	}
	return errors.Join(store.Optimize(context.Background()), store.Close())
}

// removeDemoTemplate removes the template when the package's tests end.
func removeDemoTemplate() {
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
}

// copyDir copies the files and directories under from into to, keeping
// their modes.
func copyDir(to, from string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, raw, info.Mode().Perm())
	})
}

// TestDemoTemplateCopiesEverything: a copy of the template holds every file
// of it with the same mode (demo-credentials.json stays 0600).
func TestDemoTemplateCopiesEverything(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := copyDemoTemplate(dir); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(demoTemplate.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(demoTemplate.dir, path)
		want, err := d.Info()
		if err != nil {
			return err
		}
		got, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			return err
		}
		if got.Size() != want.Size() || got.Mode() != want.Mode() {
			t.Errorf("%s: %v %d bytes, want %v %d bytes", rel, got.Mode(), got.Size(), want.Mode(), want.Size())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
