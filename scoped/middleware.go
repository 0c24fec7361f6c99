package scoped

import (
	"context"
	"errors"
	"net/http"
)

// errServerStatus is how Middleware asks Transaction to roll back after a
// 5xx answer; it is not reported to onError.
var errServerStatus = errors.New("scoped: handler answered with a server error")

// Middleware returns net/http middleware that runs each request inside
// [Registry.Transaction], with the request's context bound to it, so
// handlers reach the unit of work with r.DB(req.Context()).
//
// The transaction commits when the handler returns with a status below
// 500, and rolls back when it answers 500 or more or panics (the panic goes
// on to net/http). The response is written before the commit, so a failed
// commit cannot change it: onError receives such failures (and failed
// begins, rollbacks and cancelled requests) to log or count them. If the
// transaction cannot begin, the handler is not run and the client gets a
// 500. Middleware panics if onError is nil, so errors are never dropped.
func (r *Registry) Middleware(onError func(*http.Request, error)) func(http.Handler) http.Handler {
	if onError == nil {
		panic("scoped: Middleware called with a nil onError")
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			ran := false
			err := r.Transaction(req.Context(), func(ctx context.Context) error {
				ran = true
				next.ServeHTTP(sw, req.WithContext(ctx))
				if sw.status >= 500 {
					return errServerStatus
				}
				return nil
			})
			if !ran {
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
			if err != nil && err != errServerStatus {
				onError(req, err)
			}
		})
	}
}

// statusWriter remembers the final status a handler wrote; 0 means none
// yet (an implicit 200).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 && code >= 200 { // 1xx are informational, not final
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush, Hijack and deadlines.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
