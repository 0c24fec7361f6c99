package scoped

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// errServerStatus makes Middleware roll back when the handler answered
// with a server error.
var errServerStatus = errors.New("scoped: handler answered with a server error")

// Middleware runs each request inside r.Transaction bound to the request's
// context, so handlers reach the unit of work with r.DB(req.Context()). The
// transaction commits unless the handler panics or answers with a 5xx
// status. A failed commit is logged through onError when it is non-nil
// (the response has been written by then).
func (r *Registry) Middleware(next http.Handler, onError func(*http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		err := r.Transaction(req.Context(), func(ctx context.Context) error {
			next.ServeHTTP(rec, req.WithContext(ctx))
			if rec.status >= 500 {
				return fmt.Errorf("%w: %d", errServerStatus, rec.status)
			}
			return nil
		})
		if err != nil && !errors.Is(err, errServerStatus) && onError != nil {
			onError(req, err)
		}
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
