package scoped_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"

	"github.com/gormpickle/gormpickle/scoped"
)

// itemHandler inserts the item named by the path, then answers with the
// status in the "status" query parameter.
func itemHandler(reg *scoped.Registry) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		id, _ := strconv.Atoi(req.URL.Path[1:])
		if err := reg.DB(req.Context()).Create(&item{ID: uint(id)}).Error; err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		switch s := req.URL.Query().Get("status"); s {
		case "panic":
			panic(http.ErrAbortHandler)
		case "":
		default:
			code, _ := strconv.Atoi(s)
			w.WriteHeader(code)
		}
	})
}

// serve runs one request through h and reports the status and whether h
// panicked.
func serve(h http.Handler, target string) (code int, panicked bool) {
	rec := httptest.NewRecorder()
	defer func() {
		panicked = recover() != nil
		code = rec.Code
	}()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, nil))
	return
}

func TestMiddlewareCommitsUnlessServerError(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	h := reg.Middleware(func(_ *http.Request, err error) { t.Errorf("onError: %v", err) })(itemHandler(reg))
	for _, tt := range []struct {
		target   string
		code     int
		panicked bool
	}{
		{"/1", 200, false},
		{"/2?status=201", 201, false},
		{"/3?status=404", 404, false}, // a client error still commits
		{"/4?status=500", 500, false},
		{"/5?status=503", 503, false},
		{"/6?status=panic", 200, true},
	} {
		if code, panicked := serve(h, tt.target); code != tt.code || panicked != tt.panicked {
			t.Errorf("%s: status %d, panicked %v", tt.target, code, panicked)
		}
	}
	if got := ids(t, db); !reflect.DeepEqual(got, []uint{1, 2, 3}) {
		t.Fatalf("committed items: %v, want 1 2 3", got)
	}
}

func TestMiddlewareReportsFailures(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	var reported []error
	mw := reg.Middleware(func(_ *http.Request, err error) { reported = append(reported, err) })
	commitFails := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_ = reg.DB(req.Context()).Commit() // the middleware's commit then fails
	})
	if code, _ := serve(mw(commitFails), "/"); code != 200 || len(reported) != 1 {
		t.Fatalf("commit failure: status %d, reported %v", code, reported)
	}

	// A request whose context is already cancelled cannot begin.
	reported = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	mw(itemHandler(reg)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/7", nil).WithContext(ctx))
	if rec.Code != 500 || len(reported) != 1 || !errors.Is(reported[0], context.Canceled) {
		t.Fatalf("begin failure: status %d, reported %v", rec.Code, reported)
	}
}

func TestMiddlewareNeedsOnError(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Middleware(nil) did not panic")
		}
	}()
	scoped.New(sqliteDB(t)).Middleware(nil)
}
