package shopfloor

import (
	"context"
	"sync"
)

type requestIDKey struct{}

// WithRequestID returns a context carrying the request's id, for logs.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id of ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// RequestLog collects what a request's log line tells, filled in by the
// layers the request passes through: auth sets the principal, GraphQL the
// operation and its cost.
type RequestLog struct {
	mu        sync.Mutex
	orgID     int64
	principal string
	operation string
	cost      int
}

type requestLogKey struct{}

// WithRequestLog returns a context carrying a new, empty request log.
func WithRequestLog(ctx context.Context) (context.Context, *RequestLog) {
	l := &RequestLog{}
	return context.WithValue(ctx, requestLogKey{}, l), l
}

// LogPrincipal records the request's principal, if the context has a log.
func LogPrincipal(ctx context.Context, p *Principal) {
	if l, ok := ctx.Value(requestLogKey{}).(*RequestLog); ok {
		l.mu.Lock()
		l.orgID, l.principal = p.OrgID, p.String()
		l.mu.Unlock()
	}
}

// LogOperation records the GraphQL operation and its cost.
func LogOperation(ctx context.Context, name string, cost int) {
	if l, ok := ctx.Value(requestLogKey{}).(*RequestLog); ok {
		l.mu.Lock()
		l.operation, l.cost = name, cost
		l.mu.Unlock()
	}
}

// Fields returns what the log collected, as slog key-value pairs.
func (l *RequestLog) Fields() []any {
	l.mu.Lock()
	defer l.mu.Unlock()
	return []any{"org", l.orgID, "principal", l.principal, "operation", l.operation, "cost", l.cost}
}

// Operation returns the recorded operation name.
func (l *RequestLog) Operation() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.operation
}
