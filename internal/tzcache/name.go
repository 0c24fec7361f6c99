package tzcache

// ValidName reports whether name follows the tz database's naming rules,
// which every zone in Go's and the system's zone database follows:
// at most 64 bytes of '/'-separated components, each 1 to 14 ASCII letters,
// digits, '.', '_', '-' or '+' starting with a letter. Anything else is
// not looked up: it cannot name a zone, and lookups of arbitrary text would
// reach the file system.
func ValidName[S string | []byte](name S) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			if !nameByte(name[i]) {
				return false
			}
			continue
		}
		if n := i - start; n == 0 || n > 14 || !letter(name[start]) {
			return false
		}
		start = i + 1
	}
	return true
}

func letter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func nameByte(c byte) bool {
	return letter(c) || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+'
}
