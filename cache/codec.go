package cache

import (
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"
)

// An entry is one cached result: the rows the database returned for one
// statement, as driver values, with the column metadata database/sql
// reports, so that replaying them through GORM's own scanning gives what
// the live query gives, into any destination.
type entry struct {
	versions []tableVersion // the version of each table read, taken before the query ran
	check    [checkSize]byte
	cols     []column
	// later is the column metadata as reported once rows have been read,
	// when it differs (the SQLite driver derives scan types from the
	// current row's values); nil otherwise.
	later []column
	rows  [][]any
}

// tableVersion is a table's version as the store reported it.
type tableVersion struct {
	table   string
	version uint64
}

// column is one result column's metadata, as *sql.ColumnType reports it.
type column struct {
	name                string
	scan                uint8 // index in scanTypes
	dbType              string
	nullable, nullOK    bool
	length              int64
	lengthOK            bool
	precision, scale    int64
	decimalOK           bool
	scanTypeUnavailable bool
}

// errCorruptEntry is returned for a stored value this version cannot
// read: the entry is a miss.
var errCorruptEntry = errors.New("gormpickle/cache: corrupt cache entry")

// errNotCacheable marks a result the codec cannot write exactly.
var errNotCacheable = errors.New("gormpickle/cache: result not cacheable")

const (
	entryMagic   = "GPC\x01"
	checkSize    = 16
	maxColumns   = 4096
	maxVersions  = 4096
	maxEntryRows = 1 << 24
)

// scanTypes are the column scan types the drivers report (the SQLite
// driver's [][]byte for BLOBs included); the index is what an entry holds.
var scanTypes = []reflect.Type{
	nil, reflect.TypeFor[bool](), reflect.TypeFor[int8](), reflect.TypeFor[int16](), reflect.TypeFor[int32](),
	reflect.TypeFor[int64](), reflect.TypeFor[uint8](), reflect.TypeFor[uint16](), reflect.TypeFor[uint32](),
	reflect.TypeFor[uint64](), reflect.TypeFor[float32](), reflect.TypeFor[float64](), reflect.TypeFor[string](),
	reflect.TypeFor[[]byte](), reflect.TypeFor[[][]byte](), reflect.TypeFor[time.Time](),
	reflect.TypeFor[sql.NullFloat64](), reflect.TypeFor[sql.NullInt64](), reflect.TypeFor[sql.NullTime](),
	reflect.TypeFor[sql.NullString](), reflect.TypeFor[sql.NullInt32](), reflect.TypeFor[sql.NullInt16](),
	reflect.TypeFor[sql.NullBool](), reflect.TypeFor[sql.NullByte](), reflect.TypeFor[sql.RawBytes](),
	reflect.TypeFor[*any](), reflect.TypeFor[any](), reflect.TypeFor[int](), reflect.TypeFor[uint](),
}

var scanTypeIndex = func() map[reflect.Type]uint8 {
	m := make(map[reflect.Type]uint8, len(scanTypes))
	for i, t := range scanTypes {
		m[t] = uint8(i)
	}
	return m
}()

// Value tags.
const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagInt
	tagFloat
	tagString
	tagBytes
	tagTimeUTC
	tagTimeLocal
	tagTimeFixed
	tagTimeNamed
	tagNilBytes
	tagUint
	tagFloat32
)

// encodeEntry writes e; errNotCacheable when a value has a type it
// cannot write exactly.
func encodeEntry(e *entry) ([]byte, error) {
	b := make([]byte, 0, 64+len(e.rows)*len(e.cols)*8)
	b = append(b, entryMagic...)
	b = binary.AppendUvarint(b, uint64(len(e.versions)))
	for _, v := range e.versions {
		b = appendString(b, v.table)
		b = binary.AppendUvarint(b, v.version)
	}
	b = append(b, e.check[:]...)
	b = binary.AppendUvarint(b, uint64(len(e.cols)))
	for _, c := range e.cols {
		b = appendColumn(b, c)
	}
	if e.later == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		for _, c := range e.later {
			b = appendColumn(b, c)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.rows)))
	var err error
	for _, row := range e.rows {
		for _, v := range row {
			if b, err = appendValue(b, v); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendColumn(b []byte, c column) []byte {
	b = appendString(b, c.name)
	b = append(b, c.scan)
	b = appendString(b, c.dbType)
	var flags byte
	for i, f := range []bool{c.nullable, c.nullOK, c.lengthOK, c.decimalOK, c.scanTypeUnavailable} {
		if f {
			flags |= 1 << i
		}
	}
	b = append(b, flags)
	b = binary.AppendVarint(b, c.length)
	b = binary.AppendVarint(b, c.precision)
	return binary.AppendVarint(b, c.scale)
}

func appendValue(b []byte, v driver.Value) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, tagNil), nil
	case bool:
		if v {
			return append(b, tagTrue), nil
		}
		return append(b, tagFalse), nil
	case int64:
		return binary.AppendVarint(append(b, tagInt), v), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, tagFloat), math.Float64bits(v)), nil
	case uint64: // MySQL's driver, for unsigned BIGINT
		return binary.AppendUvarint(append(b, tagUint), v), nil
	case float32: // MySQL's driver, for FLOAT in the binary protocol
		return binary.LittleEndian.AppendUint32(append(b, tagFloat32), math.Float32bits(v)), nil
	case string:
		return appendString(append(b, tagString), v), nil
	case []byte:
		if v == nil {
			return append(b, tagNilBytes), nil
		}
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
		return append(b, v...), nil
	case time.Time:
		return appendTime(b, v)
	}
	return nil, fmt.Errorf("%w: driver value of type %T", errNotCacheable, v)
}

func appendTime(b []byte, t time.Time) ([]byte, error) {
	loc := t.Location()
	tag := tagTimeFixed
	switch {
	case loc == time.UTC:
		tag = tagTimeUTC
	case loc == time.Local:
		tag = tagTimeLocal
	case loadLocation(loc.String()) != nil:
		tag = tagTimeNamed
	}
	b = binary.AppendVarint(append(b, tag), t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	if tag == tagTimeNamed || tag == tagTimeFixed {
		_, off := t.Zone()
		b = appendString(b, loc.String())
		b = binary.AppendVarint(b, int64(off))
	}
	return b, nil
}

// locations caches time.LoadLocation by name (nil for names that fail),
// bounded: past maxLocations names are looked up, not remembered.
var (
	locations   sync.Map
	locationsN  int
	locationsMu sync.Mutex
)

const maxLocations = 256

func loadLocation(name string) *time.Location {
	if name == "" || name == "UTC" || name == "Local" {
		return nil
	}
	if v, ok := locations.Load(name); ok {
		return v.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	locationsMu.Lock()
	if locationsN < maxLocations {
		locationsN++
		locations.Store(name, loc)
	}
	locationsMu.Unlock()
	return loc
}
