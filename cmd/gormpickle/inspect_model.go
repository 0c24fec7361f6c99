package main

import "fmt"

// describeModelPayload is replaced once the model codec offers a JSON view.
func describeModelPayload(data []byte) (any, error) {
	return nil, fmt.Errorf("model payloads (%d bytes) cannot be described by this build", len(data))
}
