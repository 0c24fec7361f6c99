package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// demoCache is the demo's fifth section: the loaded query run through the
// result cache three times, around a write. db has gormpickle installed;
// loaded is the chain Loads returned on it.
func demoCache(db, loaded *gorm.DB, out io.Writer) error {
	plugin := cache.New(cache.NewMemoryStore(8<<20), cache.WithNamespace("demo"))
	if err := db.Use(plugin); err != nil {
		return err
	}
	query := loaded.Session(&gorm.Session{})
	run := func(label string) error {
		before := plugin.Stats()
		var users []fixture.User
		if err := query.Clauses(cache.TTL(time.Minute)).Find(&users).Error; err != nil {
			return fmt.Errorf("run the cached query: %w", err)
		}
		after := plugin.Stats()
		names := make([]string, len(users))
		for i, u := range users {
			names[i] = fmt.Sprintf("%d %s", u.ID, u.Name)
		}
		fmt.Fprintf(out, "   %s: %d queries run on the database, %d served from the cache: %s\n", label,
			after.Misses-before.Misses, after.Hits-before.Hits, strings.Join(names, ", "))
		return nil
	}
	fmt.Fprintf(out, "\n5. The same query through the result cache (package cache, memory store), with cache.TTL(time.Minute):\n")
	if err := run("run 1"); err != nil {
		return err
	}
	if err := run("run 2"); err != nil {
		return err
	}
	if err := db.Model(&fixture.User{ID: 9}).Update("name", "frederick").Error; err != nil {
		return err
	}
	fmt.Fprintf(out, "   UPDATE users SET name = 'frederick' WHERE id = 9: table users invalidated (%d so far); the addresses preload stays cached\n",
		plugin.Stats().Invalidations)
	return run("run 3")
}
