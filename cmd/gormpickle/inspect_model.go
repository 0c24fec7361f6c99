package main

import "github.com/gormpickle/gormpickle/modelcodec"

// describeModelPayload describes a model payload (modelcodec.Encode).
func describeModelPayload(data []byte) (any, error) {
	return modelcodec.Describe(data)
}
