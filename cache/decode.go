package cache

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// entryReader reads an entry written by encodeEntry. Stored values are
// untrusted: every length is checked against the bytes left before
// anything is allocated, and every failure is errCorruptEntry.
type entryReader struct {
	b   []byte
	pos int
}

func (r *entryReader) fail(what string) error {
	return fmt.Errorf("%w: %s at byte %d", errCorruptEntry, what, r.pos)
}

func (r *entryReader) uvarint(what string) (uint64, error) {
	v, n := binary.Uvarint(r.b[r.pos:])
	if n <= 0 {
		return 0, r.fail(what)
	}
	r.pos += n
	return v, nil
}

func (r *entryReader) varint(what string) (int64, error) {
	v, n := binary.Varint(r.b[r.pos:])
	if n <= 0 {
		return 0, r.fail(what)
	}
	r.pos += n
	return v, nil
}

// count reads a length of at most max elements taking at least min bytes each.
func (r *entryReader) count(what string, max, min int) (int, error) {
	v, err := r.uvarint(what)
	if err != nil {
		return 0, err
	}
	if v > uint64(max) || v*uint64(min) > uint64(len(r.b)-r.pos) {
		return 0, r.fail(what + " too long")
	}
	return int(v), nil
}

func (r *entryReader) bytes(what string) ([]byte, error) {
	n, err := r.count(what, math.MaxInt32, 1)
	if err != nil {
		return nil, err
	}
	out := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return out, nil
}

func (r *entryReader) str(what string) (string, error) {
	b, err := r.bytes(what)
	return string(b), err
}

func (r *entryReader) byte1(what string) (byte, error) {
	if r.pos >= len(r.b) {
		return 0, r.fail(what)
	}
	r.pos++
	return r.b[r.pos-1], nil
}

// decodeHeader reads an entry's versions and check, leaving r at its columns.
func decodeHeader(data []byte) (*entry, *entryReader, error) {
	r := &entryReader{b: data}
	if len(data) < len(entryMagic) || string(data[:len(entryMagic)]) != entryMagic {
		return nil, nil, r.fail("magic")
	}
	r.pos = len(entryMagic)
	n, err := r.count("versions", maxVersions, 2)
	if err != nil {
		return nil, nil, err
	}
	e := &entry{versions: make([]tableVersion, n)}
	for i := range e.versions {
		if e.versions[i].table, err = r.str("table"); err != nil {
			return nil, nil, err
		}
		if e.versions[i].version, err = r.uvarint("version"); err != nil {
			return nil, nil, err
		}
	}
	if len(r.b)-r.pos < checkSize {
		return nil, nil, r.fail("check")
	}
	copy(e.check[:], r.b[r.pos:])
	r.pos += checkSize
	return e, r, nil
}

// decodeBody reads the columns and rows after decodeHeader.
func decodeBody(e *entry, r *entryReader) error {
	n, err := r.count("columns", maxColumns, 5)
	if err != nil {
		return err
	}
	e.cols = make([]column, n)
	for i := range e.cols {
		if e.cols[i], err = r.column(); err != nil {
			return err
		}
	}
	later, err := r.byte1("later columns flag")
	if err != nil || later > 1 {
		return r.fail("later columns flag")
	}
	if later == 1 {
		if len(r.b)-r.pos < 5*n {
			return r.fail("later columns")
		}
		e.later = make([]column, n)
		for i := range e.later {
			if e.later[i], err = r.column(); err != nil {
				return err
			}
		}
	}
	rows, err := r.count("rows", maxEntryRows, max(n, 1))
	if err != nil {
		return err
	}
	if n == 0 && rows > 0 {
		return r.fail("rows without columns")
	}
	e.rows = make([][]any, rows)
	flat := make([]any, rows*n)
	for i := range e.rows {
		e.rows[i] = flat[i*n : (i+1)*n : (i+1)*n]
		for j := range e.rows[i] {
			if e.rows[i][j], err = r.value(); err != nil {
				return err
			}
		}
	}
	if r.pos != len(r.b) {
		return r.fail("trailing bytes")
	}
	return nil
}

func (r *entryReader) column() (column, error) {
	var c column
	var err error
	if c.name, err = r.str("column name"); err != nil {
		return c, err
	}
	if c.scan, err = r.byte1("scan type"); err != nil {
		return c, err
	}
	if int(c.scan) >= len(scanTypes) {
		return c, r.fail("scan type")
	}
	if c.dbType, err = r.str("database type"); err != nil {
		return c, err
	}
	flags, err := r.byte1("column flags")
	if err != nil {
		return c, err
	}
	c.nullable, c.nullOK, c.lengthOK, c.decimalOK, c.scanTypeUnavailable =
		flags&1 != 0, flags&2 != 0, flags&4 != 0, flags&8 != 0, flags&16 != 0
	if c.length, err = r.varint("length"); err != nil {
		return c, err
	}
	if c.precision, err = r.varint("precision"); err != nil {
		return c, err
	}
	c.scale, err = r.varint("scale")
	return c, err
}

func (r *entryReader) value() (driver.Value, error) {
	tag, err := r.byte1("value tag")
	if err != nil {
		return nil, err
	}
	switch tag {
	case tagNil:
		return nil, nil
	case tagFalse, tagTrue:
		return tag == tagTrue, nil
	case tagInt:
		return r.varint("integer")
	case tagFloat:
		if len(r.b)-r.pos < 8 {
			return nil, r.fail("float")
		}
		r.pos += 8
		return math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.pos-8:])), nil
	case tagUint:
		return r.uvarint("unsigned integer")
	case tagFloat32:
		if len(r.b)-r.pos < 4 {
			return nil, r.fail("float32")
		}
		r.pos += 4
		return math.Float32frombits(binary.LittleEndian.Uint32(r.b[r.pos-4:])), nil
	case tagString:
		return r.str("string")
	case tagBytes:
		b, err := r.bytes("bytes")
		if err != nil {
			return nil, err
		}
		return append(make([]byte, 0, len(b)), b...), nil
	case tagNilBytes:
		return []byte(nil), nil
	case tagTimeUTC, tagTimeLocal, tagTimeFixed, tagTimeNamed:
		return r.time(tag)
	}
	return nil, r.fail("value tag")
}

func (r *entryReader) time(tag byte) (time.Time, error) {
	sec, err := r.varint("time")
	if err != nil {
		return time.Time{}, err
	}
	nsec, err := r.uvarint("time")
	if err != nil || nsec >= 1e9 {
		return time.Time{}, r.fail("nanoseconds")
	}
	t := time.Unix(sec, int64(nsec))
	switch tag {
	case tagTimeUTC:
		return t.UTC(), nil
	case tagTimeLocal:
		return t.Local(), nil
	}
	name, err := r.str("zone")
	if err != nil {
		return time.Time{}, err
	}
	off, err := r.varint("offset")
	if err != nil || off < -86400*2 || off > 86400*2 {
		return time.Time{}, r.fail("offset")
	}
	if tag == tagTimeNamed {
		if loc := loadLocation(name); loc != nil {
			if in := t.In(loc); zoneOffset(in) == int(off) {
				return in, nil
			}
		}
	}
	return t.In(fixedZone(name, int(off))), nil
}

func zoneOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}

// fixedZones caches time.FixedZone by name and offset, bounded.
var fixedZones = struct {
	m map[fixedKey]*time.Location
}{m: map[fixedKey]*time.Location{}}

type fixedKey struct {
	name string
	off  int
}

func fixedZone(name string, off int) *time.Location {
	locationsMu.Lock()
	defer locationsMu.Unlock()
	k := fixedKey{name, off}
	if loc, ok := fixedZones.m[k]; ok {
		return loc
	}
	loc := time.FixedZone(name, off)
	if len(fixedZones.m) < maxLocations {
		fixedZones.m[k] = loc
	}
	return loc
}
