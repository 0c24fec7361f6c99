package tests

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Generics finishers, each with its traditional counterpart for the
// cross-API checks.

func gFind[T any]() gFinisher[T] {
	return gFinisher[T]{name: "Find", run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		return q.Find(ctx)
	}, trad: finFind(func() any { return &[]T{} })}
}

// gOne is First, Take or Last.
func gOne[T any](name string) gFinisher[T] {
	return gFinisher[T]{name: name, run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		switch name {
		case "First":
			return q.First(ctx)
		case "Take":
			return q.Take(ctx)
		}
		return q.Last(ctx)
	}, trad: finOne(name, func() any { return new(T) })}
}

// gCount counts as GORM's generics Count does: Select(column).Count.
func gCount[T any](column string) gFinisher[T] {
	return gFinisher[T]{name: "Count", run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		return q.Count(ctx, column)
	}, trad: confFinisher{name: "Count", run: func(tx *gorm.DB) (any, error) {
		var n int64
		return n, tx.Select(column).Count(&n).Error
	}}}
}

// gScan scans into dest, as the twin's Find does (GORM's generics Scan is
// Model(T).Find(dest)).
func gScan[T any](dest func() any) gFinisher[T] {
	return gFinisher[T]{name: "Scan", run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		d := dest()
		return d, q.Scan(ctx, d)
	}, trad: finFind(dest)}
}

func gRow[T any](n int) gFinisher[T] {
	return gFinisher[T]{name: "Row", run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		row := q.Row(ctx)
		vals, ptrs := make([]any, n), make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		err := row.Scan(ptrs...)
		return vals, err
	}, trad: finRow(n)}
}

func gRows[T any]() gFinisher[T] {
	return gFinisher[T]{name: "Rows", run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		rows, err := q.Rows(ctx)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return readRows(rows)
	}, trad: finRows()}
}

// gBatches returns every batch FindInBatches handed over, as text.
func gBatches[T any](size int) gFinisher[T] {
	return gFinisher[T]{name: "FindInBatches", noExtend: true, run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		var batches []string
		err := q.FindInBatches(ctx, size, func(data []T, n int) error {
			batches = append(batches, fmt.Sprintf("%d %+v", n, data))
			return nil
		})
		return batches, err
	}, trad: confFinisher{name: "FindInBatches", run: func(tx *gorm.DB) (any, error) {
		var batches []string
		var dest []T
		r := tx.FindInBatches(&dest, size, func(_ *gorm.DB, n int) error {
			batches = append(batches, fmt.Sprintf("%d %+v", n, dest))
			return nil
		})
		return batches, r.Error
	}}}
}

func gUpdate[T any](column string, value any) gFinisher[T] {
	return gFinisher[T]{name: "Update", write: true, run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		return q.Update(ctx, column, value)
	}, trad: finUpdate(column, value)}
}

func gUpdates[T any](v T) gFinisher[T] {
	return gFinisher[T]{name: "Updates", write: true, run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		return q.Updates(ctx, v)
	}, trad: finUpdates(v)}
}

func gDelete[T any]() gFinisher[T] {
	return gFinisher[T]{name: "Delete", write: true, run: func(ctx context.Context, q gorm.ChainInterface[T]) (any, error) {
		return q.Delete(ctx)
	}, trad: finDelete(func() any { return new(T) })}
}
